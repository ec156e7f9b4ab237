using Forgewatch.Reports.Html;

namespace Forgewatch.Reports.Tests.Html;

public sealed class HtmlReportWriterTests
{
    [Fact]
    public void Render_HostileValues_NoMarkupNoControlCharactersEveryValueVisibleEncoded()
    {
        var (result, coverage, summary) = HostileInvestigation.Create();
        Assert.NotEmpty(result.Incidents);

        string html = HtmlReportWriter.Render(result, coverage, summary);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(html, c => char.IsControl(c) && c is not '\n');
        Assert.DoesNotContain('\u202E', html);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("\\u001b]0;owned\\u0007", html, StringComparison.Ordinal);
        Assert.Contains("\\u202egnp.exe", html, StringComparison.Ordinal);
        Assert.Contains("=HYPERLINK(&quot;http://evil.test&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Investigation_SelfContainedIncidentsFirstWithTimelineExposureAndEvidence()
    {
        var (result, coverage, summary) = HostileInvestigation.Create();

        string html = HtmlReportWriter.Render(result, coverage, summary);

        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        int incidents = html.IndexOf("<h2>Incidents", StringComparison.Ordinal);
        int notEvaluated = html.IndexOf("What could not be evaluated", StringComparison.Ordinal);
        Assert.True(incidents >= 0 && notEvaluated > incidents);
        Assert.Contains("<svg class=\"timeline\"", html, StringComparison.Ordinal);
        Assert.Contains("Exposure by mailbox", html, StringComparison.Ordinal);
        Assert.Contains("more may have been read", html, StringComparison.Ordinal);
        Assert.Contains(result.Incidents[0].Id, html, StringComparison.Ordinal);
        foreach (var alert in result.Incidents[0].Alerts)
        {
            Assert.Contains(alert.Id, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_NoIncidents_SaysSoAndStillListsWhatWasNotEvaluated()
    {
        var (result, coverage, summary) = HostileInvestigation.Create();
        var empty = result with { Incidents = [], Alerts = [] };

        string html = HtmlReportWriter.Render(empty, coverage, summary);

        Assert.Contains("No incidents.", html, StringComparison.Ordinal);
        Assert.Contains("no entra.sign_in.interactive records were read", html, StringComparison.Ordinal);
    }
}
