using Forgewatch.Core.Events;
using Forgewatch.Simulator.Truth;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Simulator.Tests.Simulation;

/// <summary>A small simulation written to a temporary folder and read back with the real reader.</summary>
internal sealed class SimulatedTenant : IDisposable
{
    private SimulatedTenant(string directory, TruthFile truth, List<AuditEvent> events, List<Rejection> rejections)
    {
        Directory = directory;
        Truth = truth;
        Events = events;
        Rejections = rejections;
    }

    public string Directory { get; }

    public TruthFile Truth { get; }

    public List<AuditEvent> Events { get; }

    public List<Rejection> Rejections { get; }

    public static SimulatedTenant Create(SimulationOptions options)
    {
        string directory = Path.Combine(Path.GetTempPath(), "fw-sim-test-" + Guid.NewGuid().ToString("N"));
        TruthFile truth = Forgewatch.Simulator.Simulation.Run(options, directory);
        var events = new List<AuditEvent>();
        var rejections = new List<Rejection>();
        string logs = Path.Combine(directory, Forgewatch.Simulator.Simulation.LogsFolder);
        IReadOnlyList<InputFile> files = InputFiles.Expand([logs], out _);
        new LogReader().ReadAsync(files, batch =>
        {
            events.AddRange(batch.Events);
            rejections.AddRange(batch.Rejections);
        }).GetAwaiter().GetResult();
        return new SimulatedTenant(directory, truth, events, rejections);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
