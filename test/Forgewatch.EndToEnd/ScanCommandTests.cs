using System.Text.Json;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd;

/// <summary><c>forgewatch scan</c> as a user runs it: the README's command on the committed samples, and on the
/// export fixtures.</summary>
public sealed class ScanCommandTests
{
    [Fact]
    public void Scan_Samples_SummaryAndEveryOutputFile()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e").FullName;

        CliResult result = CliRunner.Run("scan", RepositoryPaths.Samples, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Scan summary", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Records read\s+6,209\b", result.Stdout);
        Assert.Matches(@"Duplicates \(counted once\)\s+0\b", result.Stdout);
        // The 7 lines samples/simulated breaks on purpose (its truth.json counts them).
        Assert.Matches(@"Rejected records\s+7\b", result.Stdout);
        Assert.Matches(@"Files not read to the end\s+0\b", result.Stdout);

        // Redirected standard error gets plain progress lines, not a live bar.
        Assert.Contains("forgewatch: read ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Stderr, StringComparison.Ordinal);

        Assert.Equal(7, File.ReadAllLines(Path.Combine(output, "rejected.jsonl")).Length);
        using JsonDocument coverage = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coverage.json")));
        JsonElement tenant = Assert.Single(coverage.RootElement.GetProperty("tenants").EnumerateArray());
        Assert.Equal("43460f90-0ceb-4ea8-bbb7-5b37e7cb23b0", tenant.GetProperty("tenant").GetString());
        string[] logs = [.. tenant.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("log").GetString()!)];
        Assert.Contains("ual.mail_access", logs);
        Assert.Contains("entra.sign_in.interactive", logs);
        Assert.Contains("entra.sign_in.non_interactive", logs);
        Assert.Contains("entra.sign_in.service_principal", logs);
        Assert.Empty(tenant.GetProperty("missing").EnumerateArray());
        foreach (string name in (string[])["alerts.jsonl", "incidents.jsonl", "exposure.csv", "report.html"])
        {
            Assert.True(new FileInfo(Path.Combine(output, name)).Length > 0, name);
        }
    }

    [Fact]
    public void Scan_ExportFixtures_EveryShapeReadDuplicatesAndBrokenFilesCounted()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e-exports").FullName;

        CliResult result = CliRunner.Run("scan", RepositoryPaths.Exports, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(@"Files\s+15\b", result.Stdout);
        // The Purview export repeats two records of the Management API content blob.
        Assert.Matches(@"Duplicates \(counted once\)\s+2\b", result.Stdout);
        Assert.Matches(@"Rejected records\s+4\b", result.Stdout);
        Assert.Matches(@"Files not read to the end\s+1\b", result.Stdout);
        Assert.Contains("sentinel-officeactivity-csv", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("signin-diagnostic-records", result.Stdout, StringComparison.Ordinal);

        string[] rejected = File.ReadAllLines(Path.Combine(output, "rejected.jsonl"));
        Assert.Equal(5, rejected.Length);
        Assert.Equal(1, rejected.Count(l => l.Contains("\"level\":\"file\"", StringComparison.Ordinal)));

        using JsonDocument coverage = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "coverage.json")));
        JsonElement tenant = Assert.Single(coverage.RootElement.GetProperty("tenants").EnumerateArray());
        Assert.Equal("5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21", tenant.GetProperty("tenant").GetString());
        Assert.Empty(tenant.GetProperty("missing").EnumerateArray());
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
