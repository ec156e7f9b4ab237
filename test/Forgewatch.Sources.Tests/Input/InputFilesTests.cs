using Forgewatch.Sources.Input;

namespace Forgewatch.Sources.Tests.Input;

public sealed class InputFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fw-inputs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Expand_Folder_SkipsDocumentationScriptsHiddenFilesAndTheSimulatorsTruth()
    {
        foreach (string name in new[] { "ual.jsonl", "README.md", "generate.py", ".hidden.jsonl", "truth.json", "TRUTH.JSON.gz", "logs-truth.json" })
        {
            File.WriteAllText(Path.Combine(_folder, name), "{}\n");
        }

        IReadOnlyList<InputFile> files = InputFiles.Expand([_folder], out IReadOnlyList<string> missing);

        Assert.Empty(missing);
        Assert.Equal(["TRUTH.JSON.gz", "logs-truth.json", "ual.jsonl"], files.Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Expand_TruthNamedDirectly_IsRead()
    {
        string truth = Path.Combine(_folder, "truth.json");
        File.WriteAllText(truth, "{}\n");

        IReadOnlyList<InputFile> files = InputFiles.Expand([truth], out _);

        Assert.Equal(truth, Assert.Single(files).Path);
    }
}
