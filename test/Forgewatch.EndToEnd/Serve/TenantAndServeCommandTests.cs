using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd.Serve;

/// <summary><c>forgewatch tenant</c> and <c>forgewatch serve</c> as an operator runs them: real processes,
/// real HTTP on 127.0.0.1.</summary>
public class TenantAndServeCommandTests
{
    [Fact]
    public void TenantAdd_PrintsOnlyTheKey_ListShowsTheTenant_RemoveTakesItAway()
    {
        string data = NewFolder();

        CliResult added = CliRunner.Run("tenant", "add", "contoso", "--admin", "sec@contoso.example", "--admin", "soc@contoso.example", "--webhook", "https://hooks.example/fw", "--data", data);

        Assert.Equal(0, added.ExitCode);
        string key = added.Stdout.Trim();
        Assert.Matches("^fwi_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("not shown again", added.Stderr, StringComparison.Ordinal);

        CliResult listed = CliRunner.Run("tenant", "list", "--json", "--data", data);
        Assert.Equal(0, listed.ExitCode);
        using (JsonDocument tenants = JsonDocument.Parse(listed.Stdout))
        {
            JsonElement tenant = Assert.Single(tenants.RootElement.EnumerateArray());
            Assert.Equal("contoso", tenant.GetProperty("id").GetString());
            Assert.Equal(["sec@contoso.example", "soc@contoso.example"], tenant.GetProperty("admins").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("https://hooks.example/fw", tenant.GetProperty("webhook").GetString());
        }

        Assert.DoesNotContain(key, listed.Stdout, StringComparison.Ordinal);
        foreach (string file in Directory.EnumerateFiles(data, "forgewatch.db*"))
        {
            Assert.DoesNotContain(key, File.ReadAllText(file), StringComparison.Ordinal);
        }


        Assert.Equal(0, CliRunner.Run("tenant", "remove", "contoso", "--data", data).ExitCode);
        Assert.Equal("[]", CliRunner.Run("tenant", "list", "--json", "--data", data).Stdout.Trim());
    }

    [Theory]
    [InlineData("../x", "sec@contoso.example", "not valid")]
    [InlineData("contoso", "not-an-address", "not a plain email address")]
    public void TenantAdd_BadInput_Exit2WithTheReason(string id, string admin, string reason)
    {
        CliResult result = CliRunner.Run("tenant", "add", id, "--admin", admin, "--data", NewFolder());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void TenantAdd_Twice_SecondRefusedAndRemoveOfUnknownRefused()
    {
        string data = NewFolder();
        Assert.Equal(0, CliRunner.Run("tenant", "add", "contoso", "--admin", "sec@contoso.example", "--data", data).ExitCode);

        CliResult again = CliRunner.Run("tenant", "add", "contoso", "--admin", "sec@contoso.example", "--data", data);
        CliResult removeUnknown = CliRunner.Run("tenant", "remove", "fabrikam", "--data", data);

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, removeUnknown.ExitCode);
    }

    [Fact]
    public async Task Serve_TakesAPushedBatchWithTheKeyTenantAddPrinted()
    {
        string data = NewFolder();
        string key = CliRunner.Run("tenant", "add", "contoso", "--admin", "sec@contoso.example", "--data", data).Stdout.Trim();
        int port = ServeProcess.FreePort();
        using Process server = ServeProcess.Start(data, port);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await ServeProcess.WaitForHealthAsync(client, server);
            string log = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/contoso/events") { Content = new ByteArrayContent(File.ReadAllBytes(log)) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

            using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(File.ReadAllLines(log).Count(l => l.Length > 0), receipt.RootElement.GetProperty("stored").GetInt32());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public void Serve_UnusableSetting_Exit2WithTheSetting()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forgewatch.dll"));
        foreach (string arg in new[] { "serve", "--data", NewFolder() })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Forgewatch__MaxBatchBytes"] = "10";
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("MaxBatchBytes", stderr, StringComparison.Ordinal);
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "forgewatch-e2e-serve", Guid.NewGuid().ToString("N"));
}
