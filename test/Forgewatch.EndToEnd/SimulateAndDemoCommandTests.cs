using Forgewatch.Testing;

namespace Forgewatch.EndToEnd;

public sealed class SimulateAndDemoCommandTests
{
    [Fact]
    public void Simulate_CommandInTheSampleReadme_RegeneratesTheCommittedSampleByteForByte()
    {
        string sample = Path.Combine(RepositoryPaths.Samples, "simulated");
        string command = File.ReadAllLines(Path.Combine(sample, "README.md")).Select(l => l.Trim())
            .Single(l => l.StartsWith("dotnet run --project src/Forgewatch.Cli -c Release -- simulate ", StringComparison.Ordinal));
        string[] args = command[(command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int outAt = Array.IndexOf(args, "--out");
        Assert.Equal("samples/simulated", args[outAt + 1]);
        string output = Directory.CreateTempSubdirectory("fw-e2e-sample").FullName;
        args[outAt + 1] = output;

        CliResult result = CliRunner.Run(args);

        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] committed = [.. Directory.GetFiles(sample, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sample, f)).Where(f => f != "README.md").Order(StringComparer.Ordinal)];
        Assert.Equal(committed, Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal));
        Assert.All(committed, f => Assert.True(
            File.ReadAllBytes(Path.Combine(sample, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, f))), f));
    }

    [Fact]
    public void Simulate_SmallTenant_WritesLogsAndTruthAndSaysWhat()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("fw-e2e-sim").FullName, "sim");

        CliResult result = CliRunner.Run("simulate", "--out", output, "--mailboxes", "12", "--days", "5", "--attack", "forged-token", "bec-inbox-rule", "--shape", "purview-csv");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Attack forged-token-1:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Attack bec-inbox-rule-1:", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "truth.json")));
        Assert.True(File.Exists(Path.Combine(output, "logs", "ual", "audit-export.csv")));
    }

    [Theory]
    [InlineData("--attack", "no-such-playbook", "Unknown playbook")]
    [InlineData("--shape", "xml", "Unknown shape")]
    [InlineData("--days", "0", "--days")]
    public void Simulate_BadOption_ExitTwoWithAMessage(string option, string value, string message)
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("fw-e2e-sim").FullName, "sim");

        CliResult result = CliRunner.Run("simulate", "--out", output, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Demo_FindsTheSimulatedIntrusionAndSaysWhereTheReportIs()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("fw-e2e-demo").FullName, "demo");

        CliResult result = CliRunner.Run("demo", "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("What really happened:", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"What the scan found: 3 of 3 mailboxes", result.Stdout);
        string report = Path.Combine(output, "scan", "report.html");
        Assert.Contains($"Open the report: {report}", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(report));
        Assert.True(File.Exists(Path.Combine(output, "scan", "evaluation.json")));
    }
}
