using System.Text.RegularExpressions;

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
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using ServedTenant served = await ServedTenant.StartAsync(work, null, Settings(smtp.Settings(), settle: 5), "soc@northwind.example", "ciso@northwind.example");

        await served.PushShuffledAsync(lines, seed: 3);
        await served.WaitForIncidentsAsync(expected.Length);
        await ServedTenant.WaitFor(() => smtp.Messages.Length >= 2 * expected.Length, seconds: 60);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        string[] messages = smtp.Messages;
        Assert.Equal(2 * expected.Length, messages.Length);
        Assert.Equal(expected.Length, messages.Count(m => m.Contains("X-Envelope-To: soc@northwind.example", StringComparison.Ordinal)));
        Assert.Equal(expected.Length, messages.Count(m => m.Contains("X-Envelope-To: ciso@northwind.example", StringComparison.Ordinal)));
        Assert.All(messages, m => Assert.Contains("Subject: [Forgewatch] New ", m, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Contains("From: forgewatch@provider.example", m, StringComparison.Ordinal));
        Assert.Equal(expected.Length, messages.Select(m => IncidentHeader().Match(m).Groups[1].Value).Distinct().Count());
        Assert.Equal(0, served.Store.PendingNotifications());
    }

    [Fact]
    public async Task Email_WrongPassword_NothingSentAndNothingLost()
    {
        using var smtp = new SmtpTestServer(implicitTls: false);
        smtp.Start();
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using ServedTenant served = await ServedTenant.StartAsync(work, null, Settings(smtp.Settings(password: "wrong"), settle: 2));

        await served.PushShuffledAsync(lines, seed: 4);
        await served.WaitForIncidentsAsync(expected.Length);
        await ServedTenant.WaitFor(() => served.Store.PendingNotifications() == expected.Length);
        await Task.Delay(4000, TestContext.Current.CancellationToken);

        Assert.Empty(smtp.Messages);
        Assert.Equal(expected.Length, served.Store.PendingNotifications());
    }

    /// <summary>The fault test of issue 6: the mail server is down for a minute while incidents are found;
    /// once it is back, every pending notification arrives exactly once.</summary>
    [Fact]
    public async Task SmtpDownForAMinuteThenBack_EveryPendingNotificationDeliveredExactlyOnce()
    {
        using var smtp = new SmtpTestServer(implicitTls: true);
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using ServedTenant served = await ServedTenant.StartAsync(work, null, Settings(smtp.Settings(), settle: 2), "soc@northwind.example");
        DateTime down = DateTime.UtcNow;
        await served.PushShuffledAsync(lines, seed: 9);
        await served.WaitForIncidentsAsync(expected.Length);
        await ServedTenant.WaitFor(() => served.Store.PendingNotifications() == expected.Length);
        TimeSpan left = TimeSpan.FromMinutes(1) - (DateTime.UtcNow - down);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left, TestContext.Current.CancellationToken);
        }

        Assert.Equal(expected.Length, served.Store.PendingNotifications());

        smtp.Start();
        await ServedTenant.WaitFor(() => served.Store.PendingNotifications() == 0, seconds: 60);
        await Task.Delay(3000, TestContext.Current.CancellationToken);

        string[] messages = smtp.Messages;
        Assert.Equal(0, served.Store.PendingNotifications());
        Assert.Equal(expected.Length, messages.Length);
        Assert.Equal(expected.Length, messages.Select(m => DeliveryHeader().Match(m).Groups[1].Value).Distinct().Count());
    }

    /// <summary>The SMTP settings with a quick outbox: looked at every second, retried at most 5 s apart, and
    /// incidents announced after <paramref name="settle"/> seconds.</summary>
    private static Dictionary<string, string?> Settings(Dictionary<string, string?> smtp, int settle)
    {
        smtp["Forgewatch:NotificationPollSeconds"] = "1";
        smtp["Forgewatch:NotificationMaxBackoffSeconds"] = "5";
        smtp["Forgewatch:NotificationSettleSeconds"] = settle.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return smtp;
    }

    [GeneratedRegex(@"X-Forgewatch-Incident: (\S+)")]
    private static partial Regex IncidentHeader();

    [GeneratedRegex(@"X-Forgewatch-Delivery: (\S+)")]
    private static partial Regex DeliveryHeader();
}
