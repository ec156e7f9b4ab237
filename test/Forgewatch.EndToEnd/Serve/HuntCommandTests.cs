using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd.Serve;

/// <summary><c>forgewatch hunt --ioc FILE</c> over a server's data folder: past matches become incidents.</summary>
public class HuntCommandTests
{
    [Fact]
    public async Task Hunt_NewIndicator_PastMatchBecomesAnIncident_HuntingAgainFindsNothingNew()
    {
        string work = Path.Combine(Path.GetTempPath(), "forgewatch-e2e-hunt", Guid.NewGuid().ToString("N"));
        string data = Path.Combine(work, "data");
        Assert.Equal(0, CliRunner.Run("tenant", "add", "contoso", "--admin", "soc@contoso.example", "--data", data).ExitCode);
        Assert.Equal(0, CliRunner.Run("tenant", "add", "fabrikam", "--admin", "soc@fabrikam.example", "--data", data).ExitCode);
        string log = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
        var events = new List<AuditEvent>();
        await new LogReader().ReadAsync([new InputFile(log, new FileInfo(log).Length)], batch => events.AddRange(batch.Events), TestContext.Current.CancellationToken);
        using (SqliteStore store = SqliteStore.Open(data))
        {
            store.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        }

        string ioc = Path.Combine(work, "partner.csv");
        File.WriteAllText(ioc, "type,value\nip,203.0.113.10\nip,not-an-address\n");

        CliResult hunt = CliRunner.Run("hunt", "--ioc", ioc, "--tenant", "contoso", "--data", data);

        Assert.Equal(0, hunt.ExitCode);
        Assert.Contains("1 indicator(s) from", hunt.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 not used", hunt.Stdout, StringComparison.Ordinal);
        Assert.Contains("indicator not used", hunt.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"contoso: 22 stored events hunted; \d+ incident\(s\), [1-9]\d* new\.", hunt.Stdout);
        using (SqliteStore store = SqliteStore.Open(data))
        {
            Assert.Contains(store.ListIncidents("contoso", null, null, null), i => i.Json.Contains("FW1003", StringComparison.Ordinal) && i.Json.Contains("203.0.113.10", StringComparison.Ordinal));
            Assert.Empty(store.IndicatorFiles("fabrikam"));
        }

        CliResult again = CliRunner.Run("hunt", "--ioc", ioc, "--tenant", "contoso", "--data", data);
        Assert.Matches(@"contoso: 22 stored events hunted; \d+ incident\(s\), 0 new\.", again.Stdout);
    }

    [Fact]
    public void Hunt_NothingUsableOrNoSuchTenant_Exit2()
    {
        string work = Path.Combine(Path.GetTempPath(), "forgewatch-e2e-hunt", Guid.NewGuid().ToString("N"));
        string data = Path.Combine(work, "data");
        Assert.Equal(0, CliRunner.Run("tenant", "add", "contoso", "--admin", "soc@contoso.example", "--data", data).ExitCode);
        string useless = Path.Combine(work, "useless.csv");
        File.WriteAllText(useless, "type,value\nfrequency,42\n");
        string good = Path.Combine(work, "good.csv");
        File.WriteAllText(good, "type,value\nip,203.0.113.10\n");

        CliResult nothing = CliRunner.Run("hunt", "--ioc", useless, "--data", data);
        CliResult noTenant = CliRunner.Run("hunt", "--ioc", good, "--tenant", "nosuch", "--data", data);

        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("holds no indicator", nothing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noTenant.ExitCode);
        Assert.Contains("no tenant \"nosuch\"", noTenant.Stderr, StringComparison.Ordinal);
    }
}
