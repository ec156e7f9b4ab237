using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tests.Storage;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd.Serve;

/// <summary><c>tenant</c>, <c>serve</c> and <c>hunt</c> on a PostgreSQL store chosen by
/// <c>Forgewatch__PostgreSQL</c> or <c>appsettings.json</c>, as an operator runs them; and what they say when
/// it cannot be used.</summary>
public class PostgresCommandTests
{
    private const string Password = "hunter2-Zq8";

    [Fact]
    public async Task TenantServeHunt_OnePostgreSQLDatabase_NoSqliteDatabaseInTheDataFolder()
    {
        using TestDatabase database = TestDatabase.Create(StoreKind.PostgreSQL);
        var environment = new Dictionary<string, string?> { ["Forgewatch__PostgreSQL"] = database.ConnectionString };
        string data = database.Folder;
        CliResult added = CliRunner.RunWith(null, null, environment, "tenant", "add", "contoso", "--admin", "soc@contoso.example", "--data", data);
        Assert.Equal(0, added.ExitCode);
        string key = added.Stdout.Trim();
        CliResult listed = CliRunner.RunWith(null, null, environment, "tenant", "list", "--json", "--data", data);
        using (JsonDocument tenants = JsonDocument.Parse(listed.Stdout))
        {
            Assert.Equal("contoso", Assert.Single(tenants.RootElement.EnumerateArray()).GetProperty("id").GetString());
        }

        string log = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
        int port = ServeProcess.FreePort();
        using (Process server = ServeProcess.Start(data, port, environment))
        {
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await ServeProcess.WaitForHealthAsync(client, server);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/contoso/events") { Content = new ByteArrayContent(File.ReadAllBytes(log)) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }

        // Request bodies are read in memory, so the data folder may not even exist.
        Directory.CreateDirectory(data);
        string ioc = Path.Combine(data, "partner.csv");
        File.WriteAllText(ioc, "type,value\nip,203.0.113.10\n");
        CliResult hunt = CliRunner.RunWith(null, null, environment, "hunt", "--ioc", ioc, "--data", data);

        Assert.Equal(0, hunt.ExitCode);
        Assert.Matches(@"contoso: 22 stored events hunted; \d+ incident\(s\), [1-9]\d* new\.", hunt.Stdout);
        Assert.False(File.Exists(Path.Combine(data, SqliteStore.FileName)));
        Assert.Equal(0, CliRunner.RunWith(null, null, environment, "tenant", "remove", "contoso", "--data", data).ExitCode);
        using IServerStore store = database.Open();
        Assert.Empty(store.ListTenants());
        Assert.Equal(0, store.CountEvents("contoso"));
    }

    /// <summary>No server listens: every command that opens the store says so on one line, naming the database
    /// but not the password, and exits 2 without a stack trace.</summary>
    [Theory]
    [InlineData("tenant", "list")]
    [InlineData("tenant", "add", "contoso", "--admin", "soc@contoso.example")]
    [InlineData("hunt", "--ioc", "IOC")]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    public void Commands_PostgreSQLUnreachable_Exit2OneLineWithoutThePassword(params string[] args)
    {
        string work = NewFolder();
        string ioc = Path.Combine(work, "partner.csv");
        File.WriteAllText(ioc, "type,value\nip,203.0.113.10\n");
        var environment = new Dictionary<string, string?> { ["Forgewatch__PostgreSQL"] = $"Host=127.0.0.1;Port=1;Database=forgewatch;Username=fw;Password={Password};Timeout=5" };

        CliResult result = CliRunner.RunWith(null, work, environment, [.. args.Select(a => a == "IOC" ? ioc : a), "--data", Path.Combine(work, "data")]);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("Cannot use the PostgreSQL database forgewatch on 127.0.0.1:1 as fw", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    /// <summary>The commands read appsettings.json in the working folder, as <c>serve</c> does.</summary>
    [Fact]
    public void Tenant_PostgreSQLInAppSettings_Used()
    {
        string work = NewFolder();
        File.WriteAllText(Path.Combine(work, "appsettings.json"), $$$"""{"Forgewatch": {"PostgreSQL": "Host=127.0.0.1;Port=1;Database=fromsettings;Username=fw;Password={{{Password}}};Timeout=5"}}""");

        CliResult result = CliRunner.RunWith(null, work, "tenant", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("PostgreSQL database fromsettings on 127.0.0.1:1", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, "forgewatch-data")));
    }

    private static string NewFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "forgewatch-e2e-postgres", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
