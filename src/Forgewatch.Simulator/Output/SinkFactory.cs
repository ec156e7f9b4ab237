namespace Forgewatch.Simulator.Output;

/// <summary>The output shapes <c>--shape</c> can name.</summary>
internal static class SinkFactory
{
    public static IReadOnlyList<string> Shapes { get; } = ["jsonl", "management-api", "purview-csv"];

    /// <param name="shape">One of <see cref="Shapes"/>.</param>
    /// <param name="directory">Where the files go.</param>
    /// <param name="gzip">Compress the files (the <c>jsonl</c> shape only).</param>
    public static ISimulationSink Create(string shape, string directory, bool gzip = false) => shape switch
    {
        "jsonl" => new JsonLinesSink(directory, gzip),
        "management-api" => new ManagementApiSink(directory),
        "purview-csv" => new PurviewCsvSink(directory),
        _ => throw new ArgumentException($"Unknown shape '{shape}'; known: {string.Join(", ", Shapes)}.", nameof(shape)),
    };
}
