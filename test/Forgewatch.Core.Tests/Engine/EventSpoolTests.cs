using System.Collections;
using System.Net;
using System.Reflection;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Tests.Engine;

public sealed class EventSpoolTests
{
    private static readonly DateTime T0 = new(2023, 6, 6, 2, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string> Budgets => new() { "memory", "file" };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Replay_EveryEventType_ComesBackEqualInEveryMember(string storage)
    {
        using var spool = new EventSpool(storage == "memory" ? EventSpool.DefaultMemoryBudget : 0);
        AuditEvent[] events = [FullMailAccess(), FullSignIn(), FullAdmin(), FullGeneric(), SparseMailAccess()];
        foreach (AuditEvent e in events)
        {
            spool.Add(e);
        }

        AuditEvent[] replayed = [.. spool.Replay()];

        Assert.Equal(events.Length, replayed.Length);
        foreach (AuditEvent original in events)
        {
            AuditEvent copy = Assert.Single(replayed, r => r.RecordId == original.RecordId);
            AssertSameMembers(original, copy);
        }

        Assert.Equal(storage == "file", spool.Bytes.File > 0);
    }

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Replay_UnsortedFromSeveralFiles_TimeThenFileThenOffsetAndTwiceTheSame(string storage)
    {
        using var spool = new EventSpool(storage == "memory" ? EventSpool.DefaultMemoryBudget : 0);
        spool.Add(Generic("c", T0.AddMinutes(5), "b.jsonl", 10));
        spool.Add(Generic("a", T0, "b.jsonl", 500));
        spool.Add(Generic("d", T0.AddMinutes(5), "a.jsonl", 900));
        spool.Add(Generic("b", T0, "b.jsonl", 20));
        spool.Add(Generic("e", T0.AddMinutes(5), "b.jsonl", 5));

        string[] first = [.. spool.Replay().Select(e => e.RecordId)];
        string[] second = [.. spool.Replay().Select(e => e.RecordId)];

        Assert.Equal(["b", "a", "d", "e", "c"], first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Replay_MailAccessOnly_SkipsTheOthers()
    {
        using var spool = new EventSpool();
        spool.Add(FullSignIn());
        spool.Add(FullMailAccess());
        spool.Add(FullGeneric());

        Assert.Equal(["mail-1"], spool.Replay(mailAccessOnly: true).Select(e => e.RecordId));
    }

    [Fact]
    public void ReplayMailAccess_ActorKeys_OnlyTheMailAccessesCarryingOneInTimeOrder()
    {
        using var spool = new EventSpool();
        spool.Add(Access("late-by-ip", T0.AddMinutes(9), ip: "192.0.2.7"));
        spool.Add(Access("by-session", T0.AddMinutes(1), session: "8EDBFC76-3F6B-417A-9278-103849C73C70"));
        spool.Add(Access("other", T0.AddMinutes(2), ip: "192.0.2.8", session: "ffffffff-3f6b-417a-9278-103849c73c70"));
        spool.Add(Access("by-app", T0.AddMinutes(3), app: "9C4E7A21-d3b8-4f5e-a016-7b2d8e43c95f"));
        spool.Add(FullSignIn());

        string[] found = [.. spool.ReplayMailAccess(
        [
            new ActorKey(ActorKind.Ip, "192.0.2.7"),
            new ActorKey(ActorKind.Session, "8edbfc76-3f6b-417a-9278-103849c73c70"),
            new ActorKey(ActorKind.App, "9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f"),
        ]).Select(e => e.RecordId)];

        Assert.Equal(["by-session", "by-app", "late-by-ip"], found);
        Assert.Empty(spool.ReplayMailAccess([]));
    }

    [Theory]
    [InlineData("8EDBFC76-3F6B", "8edbfc76-3f6b")]
    [InlineData("Ärger", "äRGER")]
    public void ActorKey_EqualIgnoringCase_SameHash(string a, string b)
    {
        var x = new ActorKey(ActorKind.Session, a);
        var y = new ActorKey(ActorKind.Session, b);

        Assert.Equal(string.Equals(a, b, StringComparison.OrdinalIgnoreCase), x.Equals(y));
        Assert.True(x.Equals(y));
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
        Assert.NotEqual(x.GetHashCode(), new ActorKey(ActorKind.Token, a).GetHashCode());
    }

    private static MailAccessEvent Access(string id, DateTime time, string? ip = null, string? session = null, string? app = null) =>
        new(new EventHeader(id, time, "MailItemsAccessed", LogKind.UalMailAccess, new RecordOrigin("f", SourceShape.UalJsonLines, 1, 0),
            AppId: app, ClientIp: ip is null ? null : IPAddress.Parse(ip), AadSessionId: Identifier.FromText(session)));

    [Fact]
    public void Replay_ManyEventsPastTheMemoryBudget_AllBackInOrder()
    {
        using var spool = new EventSpool(memoryBudget: 64 << 10);
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            spool.Add(Generic($"r{i}", T0.AddSeconds(random.Next(100_000)), "f", i));
        }

        DateTime[] times = [.. spool.Replay().Select(e => e.Time)];

        Assert.Equal(20_000, times.Length);
        Assert.True(spool.Bytes.File > 0);
        Assert.Equal(times.Order(), times);
    }

    private static GenericEvent Generic(string id, DateTime time, string source, long offset) =>
        new(new EventHeader(id, time, "FileAccessed", LogKind.UalOther, new RecordOrigin(source, SourceShape.UalJsonLines, 1, offset)));

    private static EventHeader Header(string id, string operation, LogKind log) => new(
        RecordId: id,
        Time: T0,
        Operation: operation,
        Log: log,
        Origin: new RecordOrigin("/logs/ual.jsonl", SourceShape.UalJsonLines, 12, 3456),
        TenantId: "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21",
        UserId: "bob@contoso.com",
        AppId: "9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f",
        ClientAppId: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        ClientIp: IPAddress.Parse("2001:db8::7"),
        ClientIpText: "[2001:db8::7]:443",
        UserAgent: "Client=REST;Client=RESTSystem;;",
        SessionId: Identifier.FromText("8edbfc76-3f6b-417a-9278-103849c73c70"),
        AadSessionId: Identifier.FromText("Not-A-Guid-Session"),
        UniqueTokenId: "EKhjcr0tXYUYRGTVF0ukxY",
        CorrelationId: Identifier.FromText("ACCC4F38-5693-4CB6-9F3C-E499EF6CBC67"),
        Workload: "Exchange",
        RecordType: -50,
        ResultStatus: "Succeeded");

    internal static MailAccessEvent FullMailAccess() => new(Header("mail-1", "MailItemsAccessed", LogKind.UalMailAccess))
    {
        MailboxOwner = "carol@contoso.com",
        MailboxId = Identifier.FromText("6ea739d0-cd2a-42d1-923b-70cd92b8c824"),
        LogonType = 2,
        ExternalAccess = true,
        AccessType = MailAccessType.Bind,
        IsThrottled = true,
        OperationCount = 3,
        TokenIssuedAt = T0.AddMinutes(-3),
        TokenTenantId = "other-tenant",
        Folders =
        [
            new AccessedFolder("\\Inbox\\Finance", Utf8StringList.From(["<a@x>", "<b@x>", "<ünïcode@x>"])),
            new AccessedFolder(null, Utf8StringList.Empty),
            new AccessedFolder("\\Sent Items", ["<plain-string@x>"]),
        ],
    };

    internal static MailAccessEvent SparseMailAccess() =>
        new(new EventHeader("mail-2", T0, "MailItemsAccessed", LogKind.UalMailAccess, new RecordOrigin("f", SourceShape.UalCsv, 0, 0)));

    internal static SignInEvent FullSignIn() => new(Header("sign-in-1", "Sign-in activity", LogKind.EntraNonInteractiveSignIn))
    {
        Succeeded = true,
        ErrorCode = 0,
        UserObjectId = "11e20261-f175-4c51-a096-4b725e7e709d",
        AppDisplayName = "Outlook Mobile",
        ResourceId = "00000002-0000-0ff1-ce00-000000000000",
        ResourceDisplayName = "Office 365 Exchange Online",
        ClientAppUsed = "Mobile Apps and Desktop clients",
        IsInteractive = false,
        Country = "NL",
        City = "Utrecht",
        OperatingSystem = "Ios 16.5",
        Browser = "Mobile Safari",
        DeviceId = "3d0f3c25-cef9-4df3-b1d3-ea5595abf3f4",
        RiskLevelDuringSignIn = "none",
    };

    internal static AdminOperationEvent FullAdmin() => new(Header("admin-1", "New-InboxRule", LogKind.UalExchangeAdmin))
    {
        Area = AdminArea.Mailbox,
        ObjectId = "bob\\Forward all",
        MailboxOwner = "bob@contoso.com",
        Parameters = [new NamedValue("ForwardTo", "x@evil.test"), new NamedValue("StopProcessingRules", null)],
        ModifiedProperties = [new ModifiedProperty("AppRole.Value", null, "full_access_as_app")],
        Targets = ["a6e2b09d-3c71-4d8f-9e45-1b7f2c08d6e3", "Sharepoint"],
    };

    internal static GenericEvent FullGeneric() => new(Header("generic-1", "FileAccessed", LogKind.UalOther)) { ObjectId = "https://x/y.docx" };

    /// <summary>Every public member of the two events is equal, lists item by item.</summary>
    internal static void AssertSameMembers(AuditEvent expected, AuditEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (PropertyInfo property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? want = property.GetValue(expected);
            object? got = property.GetValue(actual);
            if (property.Name == nameof(MailAccessEvent.Folders))
            {
                var wantFolders = (IReadOnlyList<AccessedFolder>)want!;
                var gotFolders = (IReadOnlyList<AccessedFolder>)got!;
                Assert.Equal(wantFolders.Select(f => (f.Path, string.Join("|", f.InternetMessageIds))), gotFolders.Select(f => (f.Path, string.Join("|", f.InternetMessageIds))));
            }
            else if (want is IEnumerable list and not string)
            {
                Assert.Equal(list.Cast<object?>(), ((IEnumerable)got!).Cast<object?>());
            }
            else
            {
                Assert.True(Equals(want, got), $"{property.Name}: expected {want}, got {got}");
            }
        }
    }
}
