using System.Text;
using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Tests.Activity;

public class DayBufferTests
{
    private static readonly DateTime Start = new(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Sort_RecordsAddedFromManyThreads_InTimeThenIdOrderWithTheirOwnJson()
    {
        using var buffer = new DayBuffer(Start, Start.AddDays(1));
        SignIn[] signIns = Make(5_000, seed: 1, Start);

        Parallel.ForEach(signIns, s => buffer.Add(s));
        EncodedDay day = buffer.Take();
        day.Sort();

        SimRecord[] records = [.. day.Records()];
        Assert.Equal(signIns.Length, records.Length);
        Assert.Equal(
            signIns.OrderBy(s => s.Time).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal).Select(s => s.Id),
            records.Select(r => r.Id));
        var byId = signIns.ToDictionary(s => s.Id);
        Assert.All(records, r => Assert.Equal(Json(byId[r.Id]), Encoding.UTF8.GetString(r.Json.Span)));
        Assert.Equal(signIns.Length, day.Lines);
    }

    [Fact]
    public void Add_OutsideThePeriod_ReturnedButNotKept()
    {
        using var buffer = new DayBuffer(Start, Start.AddDays(1));
        SignIn before = Make(1, seed: 2, Start.AddSeconds(-1), spreadSeconds: 0)[0];
        SignIn inside = Make(1, seed: 3, Start, spreadSeconds: 0)[0];
        SignIn atEnd = Make(1, seed: 4, Start.AddDays(1), spreadSeconds: 0)[0];

        Assert.Equal(before.Id, buffer.Add(before).Id);
        buffer.Add(inside);
        buffer.Add(atEnd);

        Assert.Equal([inside.Id], buffer.Take().Records().Select(r => r.Id));
    }

    [Fact]
    public void Take_NextDayWhileThePreviousIsStillBeingWritten_BothKeepTheirBytes()
    {
        using var buffer = new DayBuffer(Start, Start.AddDays(3));
        SignIn[] first = Make(3_000, seed: 5, Start);
        SignIn[] second = Make(3_000, seed: 6, Start.AddDays(1));
        Parallel.ForEach(first, s => buffer.Add(s));
        EncodedDay one = buffer.Take();
        one.Sort();
        string[] oneBefore = [.. one.Records().Select(r => Encoding.UTF8.GetString(r.Json.Span))];

        Parallel.ForEach(second, s => buffer.Add(s));
        EncodedDay two = buffer.Take();
        two.Sort();

        Assert.Equal(oneBefore, one.Records().Select(r => Encoding.UTF8.GetString(r.Json.Span)));
        one.Release();
        SignIn[] third = Make(3_000, seed: 7, Start.AddDays(2));
        Parallel.ForEach(third, s => buffer.Add(s));
        EncodedDay three = buffer.Take();
        three.Sort();
        var byId = second.Concat(third).ToDictionary(s => s.Id);
        Assert.All(two.Records().Concat(three.Records()), r => Assert.Equal(Json(byId[r.Id]), Encoding.UTF8.GetString(r.Json.Span)));
    }

    [Fact]
    public void AddMalformedAfter_CutCopyFollowsItsRecordAndIsCounted()
    {
        using var buffer = new DayBuffer(Start, Start.AddDays(1));
        foreach (SignIn s in Make(10, seed: 8, Start))
        {
            buffer.Add(s);
        }

        EncodedDay day = buffer.Take();
        day.Sort();
        day.AddMalformedAfter(3);

        SimRecord[] records = [.. day.Records()];
        Assert.Equal(11, records.Length);
        Assert.True(records[4].Malformed);
        Assert.Equal(records[3].Id, records[4].Id);
        Assert.Equal(records[3].TextId + "~", records[4].TextId);
        Assert.Equal(records[3].Json.Span[..(records[3].Json.Length / 2)].ToArray(), records[4].Json.ToArray());
        Assert.Equal(11, day.Lines);
        Assert.Throws<ArgumentOutOfRangeException>(() => day.AddMalformedAfter(10));
    }

    private static SignIn[] Make(int count, int seed, DateTime from, int spreadSeconds = 3_600)
    {
        var random = new SimRandom((ulong)seed);
        return [.. Enumerable.Range(0, count).Select(i => SignIn.AsApplication(
            random, "tenant", "app", "sp", $"App {i}", from.AddSeconds(spreadSeconds == 0 ? 0 : random.Below(spreadSeconds)), "198.18.0.1", random.Token(), "Boydton", "US"))];
    }

    private static string Json(SignIn signIn)
    {
        var line = new JsonLine();
        RecordJson.Write(signIn, line);
        return Encoding.UTF8.GetString(line.Written);
    }
}
