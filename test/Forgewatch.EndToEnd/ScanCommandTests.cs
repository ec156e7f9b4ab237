using System.Text.Json;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd;

/// <summary><c>forgewatch scan</c> as a user runs it: the README's command on the committed samples.</summary>
public sealed class ScanCommandTests
{
    [Fact]
    public void Scan_Samples_SummaryAndEveryOutputFile()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e").FullName;

        CliResult result = CliRunner.Run("scan", RepositoryPaths.Samples, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Scan summary", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Duplicates \(counted once\)\s+2\b", result.Stdout);
        // 4 in the contoso set, 7 lines samples/simulated breaks on purpose.
        Assert.Matches(@"Rejected records\s+11\b", result.Stdout);
        Assert.Matches(@"Files not read to the end\s+1\b", result.Stdout);
        Assert.Contains("sentinel-officeactivity-csv", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("signin-diagnostic-records", result.Stdout, StringComparison.Ordinal);

        // Redirected standard error gets plain progress lines, not a live bar.
        Assert.Contains("forgewatch: read ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Stderr, StringComparison.Ordinal);

        string[] rejected = File.ReadAllLines(Path.Combine(output, "rejected.jsonl"));
        Assert.Equal(12, rejected.Length);
        Assert.Equal(1, rejected.Count(l => l.Contains("\"level\":\"file\"", StringComparison.Ordinal)));

        using JsonDocument coverage = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coverage.json")));
        JsonElement[] tenants = [.. coverage.RootElement.GetProperty("tenants").EnumerateArray()];
        Assert.Equal(["3c9d7e10-6a2b-4f8e-9d41-0b5e7c2a9f13", "43460f90-0ceb-4ea8-bbb7-5b37e7cb23b0", "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21"], tenants.Select(t => t.GetProperty("tenant").GetString()));
        JsonElement tenant = tenants[2];
        string[] logs = [.. tenant.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("log").GetString()!)];
        Assert.Contains("ual.mail_access", logs);
        Assert.Contains("entra.sign_in.interactive", logs);
        Assert.Contains("entra.sign_in.non_interactive", logs);
        Assert.Empty(tenant.GetProperty("missing").EnumerateArray());
        foreach (string name in (string[])["alerts.jsonl", "incidents.jsonl", "exposure.csv", "report.html"])
        {
            Assert.True(new FileInfo(Path.Combine(output, name)).Length > 0, name);
        }
    }

    [Fact]
    public void Scan_MissingPath_ExitTwoAndSaysWhich()
    {
        CliResult result = CliRunner.Run("scan", "/nonexistent/forgewatch/logs", "--out", Path.GetTempPath());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file or folder: /nonexistent/forgewatch/logs", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NoPath_UsageErrorExitTwo()
    {
        CliResult result = CliRunner.Run("scan");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("forgewatch --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_UnknownOption_UsageErrorExitTwo()
    {
        CliResult result = CliRunner.Run("scan", RepositoryPaths.Samples, "--frobnicate");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void Scan_OutputFolderIsAFile_ExitTwo()
    {
        string file = Path.GetTempFileName();

        CliResult result = CliRunner.Run("scan", RepositoryPaths.Samples, "--out", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot create the output folder", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_HostileOperationName_NoEscapeSequenceReachesTheTerminal()
    {
        string dir = Directory.CreateTempSubdirectory("fw-e2e-hostile").FullName;
        File.WriteAllText(
            Path.Combine(dir, "hostile.jsonl"),
            "{\"CreationTime\":\"2023-06-06T02:14:07\",\"Id\":\"00000000-0000-4000-8000-0000000000e1\",\"Operation\":\"Evil\\u001b]0;pwned\\u0007[31mRED\",\"RecordType\":6,\"UserId\":\"x\"}\n");

        CliResult result = CliRunner.Run("scan", dir, "--out", Path.Combine(dir, "out"));

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain('\u0007', result.Stdout);
        Assert.Contains("Evil?]0;pwned?[31mRED", result.Stdout, StringComparison.Ordinal);
    }
}
