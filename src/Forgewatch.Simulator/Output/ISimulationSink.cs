using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>Writes simulated records, in time order, in one of the shapes the readers take.</summary>
internal interface ISimulationSink : IDisposable
{
    /// <summary>The shape's name, as <c>--shape</c> takes it.</summary>
    string Shape { get; }

    void Write(SimRecord record);

    /// <summary>Flushes and closes every file; returns them, relative to the output folder.</summary>
    IReadOnlyList<string> Complete();
}
