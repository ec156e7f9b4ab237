using System.Text.Json;

namespace Forgewatch.Benchmarks;

/// <summary>The generated input files and what is in them; saved beside them as a manifest so that the
/// benchmark processes BenchmarkDotNet starts find the same files.</summary>
public sealed class BenchData
{
    /// <summary>Where the host tells the benchmark processes (which inherit its environment) to look.</summary>
    public const string ManifestVariable = "FORGEWATCH_BENCH_MANIFEST";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public long Records { get; init; }

    public string JsonlPath { get; init; } = string.Empty;

    public string CsvPath { get; init; } = string.Empty;

    public string GzipPath { get; init; } = string.Empty;

    public long JsonlBytes { get; init; }

    public long CsvBytes { get; init; }

    /// <summary>Compressed size; the content is the JSONL file's bytes.</summary>
    public long GzipBytes { get; init; }

    public static BenchData Read(string manifest) =>
        JsonSerializer.Deserialize<BenchData>(File.ReadAllBytes(manifest)) ?? throw new InvalidDataException($"Empty manifest {manifest}.");

    /// <summary>The data the host generated, from <see cref="ManifestVariable"/>.</summary>
    public static BenchData FromEnvironment()
    {
        string manifest = Environment.GetEnvironmentVariable(ManifestVariable)
            ?? throw new InvalidOperationException($"{ManifestVariable} is not set: run the benchmarks through Program (dotnet run -c Release --project bench/Forgewatch.Benchmarks), which generates the data first.");
        BenchData data = Read(manifest);
        if (!data.FilesIntact())
        {
            throw new InvalidOperationException($"The files listed in {manifest} are missing or changed; delete it to generate them again.");
        }

        return data;
    }

    public void Save(string manifest) => File.WriteAllBytes(manifest, JsonSerializer.SerializeToUtf8Bytes(this, Indented));

    public bool FilesIntact() =>
        SizeIs(JsonlPath, JsonlBytes) && SizeIs(CsvPath, CsvBytes) && SizeIs(GzipPath, GzipBytes);

    private static bool SizeIs(string path, long bytes) => File.Exists(path) && new FileInfo(path).Length == bytes;
}
