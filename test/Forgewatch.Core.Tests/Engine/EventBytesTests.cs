using Forgewatch.Core.Events;

namespace Forgewatch.Core.Tests.Engine;

public sealed class EventBytesTests
{
    public static TheoryData<string> Kinds => new() { "mail", "sparse-mail", "sign-in", "admin", "generic" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Decode_EveryEventType_EqualInEveryMemberAndStandsAlone(string kind)
    {
        AuditEvent original = Make(kind);

        byte[] bytes = EventBytes.Encode(original);
        AuditEvent decoded = EventBytes.Decode(bytes);

        Assert.Equal(EventBytes.FormatVersion, bytes[0]);
        EventSpoolTests.AssertSameMembers(original, decoded);
        Assert.Equal(bytes, EventBytes.Encode(decoded));
    }

    [Fact]
    public void Decode_OtherVersionOrCutShort_FormatException()
    {
        byte[] bytes = EventBytes.Encode(Make("mail"));
        byte[] otherVersion = [.. bytes];
        otherVersion[0] = 99;

        Assert.Throws<FormatException>(() => EventBytes.Decode(otherVersion));
        Assert.Throws<FormatException>(() => EventBytes.Decode([]));
        Assert.Throws<FormatException>(() => EventBytes.Decode(bytes.AsSpan(0, bytes.Length / 2)));
    }

    [Fact]
    public void Encode_ManyThreads_SameBytesAsOneThread()
    {
        AuditEvent[] events = [.. new[] { "mail", "sparse-mail", "sign-in", "admin", "generic" }.Select(Make)];
        byte[][] expected = [.. events.Select(EventBytes.Encode)];
        int wrong = 0;

        Parallel.For(0, 5_000, i =>
        {
            if (!EventBytes.Encode(events[i % events.Length]).AsSpan().SequenceEqual(expected[i % events.Length]))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    private static AuditEvent Make(string kind) => kind switch
    {
        "mail" => EventSpoolTests.FullMailAccess(),
        "sparse-mail" => EventSpoolTests.SparseMailAccess(),
        "sign-in" => EventSpoolTests.FullSignIn(),
        "admin" => EventSpoolTests.FullAdmin(),
        _ => EventSpoolTests.FullGeneric(),
    };
}
