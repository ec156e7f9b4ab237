namespace Forgewatch.Testing;

/// <summary>
/// Finds the repository and the shared test data beside it. External fixtures (Elastic, Wycheproof,
/// SigmaHQ) live in <c>../shared/testdata/external</c> and are never copied into the repository; a fresh
/// clone without them skips those tests with a message naming what is missing.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>What the README's first command scans: written by <c>forgewatch simulate</c>.</summary>
    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>Hand-written logs of the contoso tenant in every export shape the readers take, and broken
    /// files (docs/samples.md, "The export fixtures").</summary>
    public static string Exports => Path.Combine(Root, "test", "fixtures", "exports");

    /// <summary>The external test data folder, or a skip saying it is missing.</summary>
    public static string ExternalTestData(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([Root, "..", "shared", "testdata", "external", .. parts]));
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            Assert.Skip($"External test data is missing: {path} (it sits beside the repository as ../shared; see README, Tests).");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Forgewatch.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Forgewatch.slnx) above " + AppContext.BaseDirectory);
    }
}
