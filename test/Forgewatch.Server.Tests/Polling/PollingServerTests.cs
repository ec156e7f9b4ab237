using Forgewatch.Server.Hosting;
using Forgewatch.Server.Polling;
using Microsoft.Extensions.Configuration;

namespace Forgewatch.Server.Tests.Polling;

/// <summary>Pull ingestion in the real server: settings, the hosted poller, and detection over what it pulled.</summary>
public class PollingServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_WithAPoller_PullsTheAttackAndFindsAnIncident()
    {
        await using FakeMicrosoftApis apis = await FakeMicrosoftApis.StartAsync();
        apis.AddApp(PollingRig.ContosoTid, PollingRig.ContosoClient, PollingRig.ContosoSecret);
        HashSet<string> served = FixtureLogs.Serve(apis, PollingRig.ContosoTid);
        await using TestServer server = await TestServer.StartAsync(Settings(apis));

        IReadOnlyList<Forgewatch.Server.Incidents.StoredIncident> incidents = [];
        for (int i = 0; i < 600 && (incidents.Count == 0 || server.Store.CountEvents("contoso") < served.Count); i++)
        {
            await Task.Delay(100, Ct);
            incidents = server.Store.ListIncidents("contoso", null, null, null);
        }

        Assert.Equal(served.Count, server.Store.CountEvents("contoso"));
        Assert.NotEmpty(incidents);
        Assert.Equal(0, server.Store.CountEvents("fabrikam"));
        Assert.NotNull(server.Store.ReadCheckpoint("contoso", GraphSignInPoller.CheckpointKey(new PollerOptions { DirectoryTenantId = PollingRig.ContosoTid })));
        string metrics = await server.Client.GetStringAsync("/metrics", Ct);
        Assert.Contains("forgewatch_poll_requests_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(PollingRig.ContosoSecret, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_WithoutPollers_HasNoPollingService()
    {
        await using TestServer server = await TestServer.StartAsync();

        Assert.Null(server.Services.GetService(typeof(PollingService)));
    }

    [Theory]
    [InlineData("DirectoryTenantId", "contoso.onmicrosoft.com", "Forgewatch:Pollers:0:DirectoryTenantId")]
    [InlineData("ClientId", "my-app", "Forgewatch:Pollers:0:ClientId")]
    [InlineData("ClientSecret", "", "Forgewatch:Pollers:0:ClientSecret")]
    [InlineData("Tenant", "no/such", "Forgewatch:Pollers:0:Tenant")]
    [InlineData("Sources:0", "Purview", "Forgewatch:Pollers:0:Sources")]
    [InlineData("ContentTypes:0", "Audit.Everything", "Forgewatch:Pollers:0:ContentTypes")]
    [InlineData("IntervalSeconds", "0", "Forgewatch:Pollers:0:IntervalSeconds")]
    [InlineData("StartLookbackHours", "0", "Forgewatch:Pollers:0:StartLookbackHours")]
    [InlineData("OverlapMinutes", "-1", "Forgewatch:Pollers:0:OverlapMinutes")]
    [InlineData("LoginUrl", "http://login.example", "Forgewatch:Pollers:0:LoginUrl")]
    [InlineData("ManagementUrl", "https://user:pw@manage.example", "Forgewatch:Pollers:0:ManagementUrl")]
    [InlineData("GraphUrl", "graph.microsoft.com", "Forgewatch:Pollers:0:GraphUrl")]
    [InlineData("PublisherIdentifier", "me", "Forgewatch:Pollers:0:PublisherIdentifier")]
    public void Options_UnusableSetting_ProblemNamesIt(string key, string value, string named)
    {
        Dictionary<string, string?> settings = Settings(null);
        settings[$"Forgewatch:Pollers:0:{key}"] = value;

        string? problem = Bind(settings).Problem();

        Assert.NotNull(problem);
        Assert.StartsWith(named, problem, StringComparison.Ordinal);
        Assert.DoesNotContain(PollingRig.ContosoSecret, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_UnusableSetting_ThrowsNamingIt()
    {
        Dictionary<string, string?> settings = Settings(null);
        settings["Forgewatch:Pollers:0:ClientId"] = "not-a-guid";

        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(settings));

        Assert.Contains("Forgewatch:Pollers:0:ClientId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Bound_DefaultsListsAndNoSecretInText()
    {
        Dictionary<string, string?> settings = Settings(null);
        settings.Remove("Forgewatch:Pollers:0:Sources:0");
        settings["Forgewatch:Pollers:1:Tenant"] = "fabrikam";
        settings["Forgewatch:Pollers:1:DirectoryTenantId"] = PollingRig.FabrikamTid;
        settings["Forgewatch:Pollers:1:ClientId"] = PollingRig.FabrikamClient;
        settings["Forgewatch:Pollers:1:ClientSecret"] = PollingRig.FabrikamSecret;
        settings["Forgewatch:Pollers:1:Sources:0"] = "GraphSignIns";
        settings["Forgewatch:Pollers:1:ContentTypes:0"] = "Audit.Exchange, Audit.SharePoint";

        ServerOptions options = Bind(settings);

        Assert.Null(options.Problem());
        Assert.Equal(2, options.Pollers.Count);
        PollerOptions contoso = options.Pollers[0];
        Assert.Equal([PollerOptions.ManagementActivity, PollerOptions.GraphSignIns], contoso.EffectiveSources);
        Assert.Equal(["Audit.Exchange", "Audit.AzureActiveDirectory", "Audit.General"], contoso.EffectiveContentTypes);
        Assert.Equal(300, new PollerOptions().IntervalSeconds);
        Assert.Equal("https://login.microsoftonline.com", new PollerOptions().LoginUrl);
        Assert.Equal("https://manage.office.com", new PollerOptions().ManagementUrl);
        Assert.Equal("https://graph.microsoft.com", new PollerOptions().GraphUrl);
        Assert.Equal([PollerOptions.GraphSignIns], options.Pollers[1].EffectiveSources);
        Assert.Equal(["Audit.Exchange", "Audit.SharePoint"], options.Pollers[1].EffectiveContentTypes);
        Assert.DoesNotContain(PollingRig.ContosoSecret, contoso.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PollingRig.FabrikamSecret, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SameDirectoryTwiceForATenant_Refused()
    {
        Dictionary<string, string?> settings = Settings(null);
        foreach ((string key, string? value) in Settings(null).Where(s => s.Key.StartsWith("Forgewatch:Pollers:0:", StringComparison.Ordinal)))
        {
            settings[key.Replace(":0:", ":1:", StringComparison.Ordinal)] = value;
        }

        Assert.StartsWith("Forgewatch:Pollers:1:DirectoryTenantId", Bind(settings).Problem(), StringComparison.Ordinal);
    }

    private static ServerOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ServerOptions.Section).Get<ServerOptions>()!;

    private static Dictionary<string, string?> Settings(FakeMicrosoftApis? apis)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Forgewatch:Pollers:0:Tenant"] = "contoso",
            ["Forgewatch:Pollers:0:DirectoryTenantId"] = PollingRig.ContosoTid,
            ["Forgewatch:Pollers:0:ClientId"] = PollingRig.ContosoClient,
            ["Forgewatch:Pollers:0:ClientSecret"] = PollingRig.ContosoSecret,
            ["Forgewatch:Pollers:0:Sources:0"] = "ManagementActivity,GraphSignIns",
            ["Forgewatch:Pollers:0:IntervalSeconds"] = "1",
            ["Forgewatch:Pollers:0:StartLookbackHours"] = PollingRig.LookbackHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (apis is not null)
        {
            settings["Forgewatch:Pollers:0:LoginUrl"] = apis.LoginUrl;
            settings["Forgewatch:Pollers:0:ManagementUrl"] = apis.ManagementUrl;
            settings["Forgewatch:Pollers:0:GraphUrl"] = apis.GraphUrl;
        }

        return settings;
    }
}
