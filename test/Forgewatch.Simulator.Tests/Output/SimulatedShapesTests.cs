using Forgewatch.Core.Events;
using Forgewatch.Simulator.Truth;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Simulator.Tests.Output;

/// <summary>Whole simulations in each shape: deterministic, and read back whole by the real reader.</summary>
public sealed class SimulatedShapesTests
{
    [Theory]
    [InlineData("jsonl")]
    [InlineData("management-api")]
    [InlineData("purview-csv")]
    public void Run_SameOptionsTwice_WritesTheSameBytes(string shape)
    {
        var options = new SimulationOptions { Mailboxes = 12, Days = 3, Shape = shape };
        string first = ShapeOutput.NewDirectory(), second = ShapeOutput.NewDirectory();
        try
        {
            TruthFile truth = Forgewatch.Simulator.Simulation.Run(options, first);
            Forgewatch.Simulator.Simulation.Run(options, second);
            Assert.NotEmpty(truth.Files);
            Assert.Equal(Listing(first), Listing(second));
            foreach (string file in Listing(first))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
            }
        }
        finally
        {
            ShapeOutput.Delete(first);
            ShapeOutput.Delete(second);
        }
    }

    [Theory]
    [InlineData("management-api")]
    [InlineData("purview-csv")]
    public void Run_ReadBack_EveryRecordReadAndOnlyTheMalformedRejected(string shape)
    {
        var options = new SimulationOptions { Mailboxes = 12, Days = 8, Shape = shape, Attacks = ["forged-token"] };
        string directory = ShapeOutput.NewDirectory();
        try
        {
            TruthFile truth = Forgewatch.Simulator.Simulation.Run(options, directory);
            (List<AuditEvent> events, List<Rejection> rejections) = ShapeOutput.Read(Path.Combine(directory, Forgewatch.Simulator.Simulation.LogsFolder));
            Assert.True(truth.MalformedLines > 0, "eight days of logs with this seed have malformed records");
            Assert.Equal(truth.MalformedLines, rejections.Count);
            Assert.Equal(truth.Records.Values.Sum() - truth.MalformedLines, events.Count);
            Assert.Equal(events.Count, events.Select(e => e.RecordId).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.InRange(events.OfType<SignInEvent>().Count(), truth.Records["signins"] - truth.MalformedLines, truth.Records["signins"]);
            Assert.InRange(events.Count(e => e is not SignInEvent), truth.Records["ual"] - truth.MalformedLines, truth.Records["ual"]);
            Assert.All(truth.Files, f => Assert.True(File.Exists(Path.Combine(directory, f)), f));
        }
        finally
        {
            ShapeOutput.Delete(directory);
        }
    }

    private static string[] Listing(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)];
}
