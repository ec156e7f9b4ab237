using System.Text.RegularExpressions;
using Forgewatch.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>Admins told by email through a real SMTP server on 127.0.0.1 that requires TLS and
/// authentication.</summary>
public partial class ServeEmailTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Email_EachAdminGetsOneMessagePerIncident(bool implicitTls)
    {
        using var smtp = new SmtpTestServer(implicitTls);
        smtp.Start();
        (string work, List<string> lines, string[] expected) = ServeDetectionTests.SimulateAndScan();
        Dictionary<string, string?> settings = smtp.Settings();
        settings["Forgewatch:NotificationPollSeconds"] = "1";
        settings["Forgewatch:NotificationSettleSeconds"] = "5";
        (WebApplication server, HttpClient client, string _) = await ServeDetectionTests.StartServer(work, null, settings, "soc@northwind.example", "ciso@northwind.example");
        try
        {
            await ServeDetectionTests.PushShuffled(client, lines, seed: 3);
            await ServeDetectionTests.WaitForIncidents(client, expected.Length);
            await ServeDetectionTests.WaitFor(() => smtp.Messages.Length >= 2 * expected.Length, seconds: 60);
            await Task.Delay(1500, TestContext.Current.CancellationToken);

            string[] messages = smtp.Messages;
            Assert.Equal(2 * expected.Length, messages.Length);
            Assert.Equal(expected.Length, messages.Count(m => m.Contains("X-Envelope-To: soc@northwind.example", StringComparison.Ordinal)));
            Assert.Equal(expected.Length, messages.Count(m => m.Contains("X-Envelope-To: ciso@northwind.example", StringComparison.Ordinal)));
            Assert.All(messages, m => Assert.Contains("Subject: [Forgewatch] New ", m, StringComparison.Ordinal));
            Assert.All(messages, m => Assert.Contains("From: forgewatch@provider.example", m, StringComparison.Ordinal));
            Assert.Equal(expected.Length, messages.Select(m => IncidentHeader().Match(m).Groups[1].Value).Distinct().Count());
            Assert.Equal(0, server.Services.GetRequiredService<IServerStore>().PendingNotifications());
        }
        finally
        {
            client.Dispose();
            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Email_WrongPassword_NothingSentAndNothingLost()
    {
        using var smtp = new SmtpTestServer(implicitTls: false);
        smtp.Start();
        (string work, List<string> lines, string[] expected) = ServeDetectionTests.SimulateAndScan();
        Dictionary<string, string?> settings = smtp.Settings(password: "wrong");
        settings["Forgewatch:NotificationPollSeconds"] = "1";
        settings["Forgewatch:NotificationSettleSeconds"] = "2";
        settings["Forgewatch:NotificationMaxBackoffSeconds"] = "1";
        (WebApplication server, HttpClient client, string _) = await ServeDetectionTests.StartServer(work, null, settings);
        try
        {
            IServerStore store = server.Services.GetRequiredService<IServerStore>();
            await ServeDetectionTests.PushShuffled(client, lines, seed: 4);
            await ServeDetectionTests.WaitForIncidents(client, expected.Length);
            await ServeDetectionTests.WaitFor(() => store.PendingNotifications() == expected.Length);
            await Task.Delay(4000, TestContext.Current.CancellationToken);

            Assert.Empty(smtp.Messages);
            Assert.Equal(expected.Length, store.PendingNotifications());
        }
        finally
        {
            client.Dispose();
            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.DisposeAsync();
        }
    }

    /// <summary>The fault test of issue 6: the mail server is down for a minute while incidents are found;
    /// once it is back, every pending notification arrives exactly once.</summary>
    [Fact]
    public async Task SmtpDownForAMinuteThenBack_EveryPendingNotificationDeliveredExactlyOnce()
    {
        using var smtp = new SmtpTestServer(implicitTls: true);
        (string work, List<string> lines, string[] expected) = ServeDetectionTests.SimulateAndScan();
        Dictionary<string, string?> settings = smtp.Settings();
        settings["Forgewatch:NotificationPollSeconds"] = "1";
        settings["Forgewatch:NotificationSettleSeconds"] = "2";
        settings["Forgewatch:NotificationMaxBackoffSeconds"] = "5";
        (WebApplication server, HttpClient client, string _) = await ServeDetectionTests.StartServer(work, null, settings, "soc@northwind.example");
        try
        {
            IServerStore store = server.Services.GetRequiredService<IServerStore>();
            DateTime down = DateTime.UtcNow;
            await ServeDetectionTests.PushShuffled(client, lines, seed: 9);
            await ServeDetectionTests.WaitForIncidents(client, expected.Length);
            await ServeDetectionTests.WaitFor(() => store.PendingNotifications() == expected.Length);
            TimeSpan left = TimeSpan.FromMinutes(1) - (DateTime.UtcNow - down);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, TestContext.Current.CancellationToken);
            }

            Assert.Equal(expected.Length, store.PendingNotifications());

            smtp.Start();
            await ServeDetectionTests.WaitFor(() => store.PendingNotifications() == 0, seconds: 60);
            await Task.Delay(3000, TestContext.Current.CancellationToken);

            string[] messages = smtp.Messages;
            Assert.Equal(0, store.PendingNotifications());
            Assert.Equal(expected.Length, messages.Length);
            Assert.Equal(expected.Length, messages.Select(m => DeliveryHeader().Match(m).Groups[1].Value).Distinct().Count());
        }
        finally
        {
            client.Dispose();
            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.DisposeAsync();
        }
    }

    [GeneratedRegex(@"X-Forgewatch-Incident: (\S+)")]
    private static partial Regex IncidentHeader();

    [GeneratedRegex(@"X-Forgewatch-Delivery: (\S+)")]
    private static partial Regex DeliveryHeader();
}
