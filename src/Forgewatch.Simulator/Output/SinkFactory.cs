namespace Forgewatch.Simulator.Output;

/// <summary>The output shapes <c>--shape</c> can name.</summary>
internal static class SinkFactory
{
    public static IReadOnlyList<string> Shapes { get; } = ["jsonl", "management-api", "purview-csv"];

    public static ISimulationSink Create(string shape, string directory) => shape switch
    {
        "jsonl" => new JsonLinesSink(directory),
        "management-api" => new ManagementApiSink(directory),
        "purview-csv" => new PurviewCsvSink(directory),
        _ => throw new ArgumentException($"Unknown shape '{shape}'; known: {string.Join(", ", Shapes)}.", nameof(shape)),
    };
}
