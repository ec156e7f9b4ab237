using System.Text.Json;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd;

/// <summary>
/// <c>forgewatch scan</c> finding the forged-token intrusion in samples/simulated, checked against what its
/// <c>truth.json</c> says the attacker did, and the flags that narrow or judge a scan.
/// </summary>
public sealed class ScanDetectionTests
{
    private const string Tenant = "43460f90-0ceb-4ea8-bbb7-5b37e7cb23b0";
    private const string ContosoTenant = "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21";

    private static string Simulated => Path.Combine(RepositoryPaths.Samples, "simulated");

    [Fact]
    public void Scan_SimulatedSample_ForgedTokenIsOneCriticalIncidentWithItsVictimsAndExactlyWhatWasRead()
    {
        using JsonDocument truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(Simulated, "truth.json")));
        JsonElement attack = truth.RootElement.GetProperty("attacks").EnumerateArray().Single(a => a.GetProperty("playbook").GetString() == "forged-token");
        string[] victims = [.. attack.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetString()!)];
        string output = Directory.CreateTempSubdirectory("fw-e2e-forged").FullName;

        CliResult result = CliRunner.Run("scan", Simulated, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        JsonElement[] incidents = ReadLines(Path.Combine(output, "incidents.jsonl"));
        // The one incident of medium severity or above with a victim in it (a low one holds the first days'
        // benign first-seen clients, before any baseline).
        JsonElement incident = Assert.Single(incidents, i => i.GetProperty("severity").GetString() != "low"
            && i.GetProperty("mailboxes").EnumerateArray().Any(m => victims.Contains(m.GetString())));
        Assert.Equal("critical", incident.GetProperty("severity").GetString());
        Assert.Equal(Tenant, incident.GetProperty("tenant").GetString());
        Assert.Equal(victims, incident.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetString()));
        string[] detections = [.. incident.GetProperty("detections").EnumerateArray().Select(d => d.GetString()!)];
        Assert.Contains("FW1001", detections);
        Assert.Contains("FW1002", detections);
        Assert.Contains("FW1004", detections);
        string app = attack.GetProperty("actor").GetProperty("app_id").GetString()!;
        Assert.Contains(app, incident.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The earliest alert cites the attacker's first record; every alert names its incident.
        string id = incident.GetProperty("id").GetString()!;
        JsonElement[] incidentAlerts = [.. ReadLines(Path.Combine(output, "alerts.jsonl")).Where(a => a.GetProperty("incident").GetString() == id)];
        Assert.Equal(
            attack.GetProperty("malicious_record_ids")[0].GetString(),
            incidentAlerts.OrderBy(a => a.GetProperty("first_seen").GetDateTime()).First().GetProperty("evidence_ids")[0].GetString());
        foreach (JsonElement alert in incidentAlerts)
        {
            foreach (string field in (string[])["id", "detection", "title", "severity", "confidence", "tenant", "user", "mailbox", "first_seen", "last_seen", "evidence_ids", "attributes"])
            {
                Assert.True(alert.TryGetProperty(field, out _), field);
            }
        }

        // Exposure: exactly the messages the attacker read one by one, and the folders it synchronized whole.
        string[][] rows = [.. File.ReadAllLines(Path.Combine(output, "exposure.csv")).Skip(1).Select(l => SplitCsv(l).ToArray()).Where(r => r[1] == id)];
        Assert.Equal(
            Pairs(attack.GetProperty("exposed")),
            rows.Where(r => r[5] == "Bind").Select(r => (r[2], r[4])).ToHashSet());
        Assert.Equal(
            Pairs(attack.GetProperty("synced_folders")),
            rows.Where(r => r[5] == "Sync").Select(r => (r[2], r[3])).ToHashSet());

        string report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains(id, report, StringComparison.Ordinal);
        Assert.Contains("<svg", report, StringComparison.Ordinal);
        Assert.Contains(id, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ExportFixtures_ThrottledAttackerReadFlaggedInExposure()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e-throttled").FullName;

        CliResult result = CliRunner.Run("scan", RepositoryPaths.Exports, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(File.ReadAllLines(Path.Combine(output, "exposure.csv")), r =>
            r.Contains("bob@contoso.onmicrosoft.com", StringComparison.Ordinal) && r.Contains("2023-06-06T02:44:50Z,true,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("critical", 1)]
    [InlineData("HIGH", 1)]
    public void Scan_FailOnAtOrBelowTheIncident_ExitOne(string severity, int expected)
    {
        CliResult result = CliRunner.Run("scan", Simulated, "--out", Directory.CreateTempSubdirectory("fw-e2e-fail").FullName, "--fail-on", severity);

        Assert.Equal(expected, result.ExitCode);
    }

    [Fact]
    public void Scan_UntilBeforeTheIntrusion_NoIncidentAndFailOnMediumExitsZero()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e-until").FullName;

        // Every attack in the sample begins on 2023-05-29 (truth.json).
        CliResult result = CliRunner.Run("scan", Simulated, "--out", output, "--until", "2023-05-28", "--fail-on", "medium");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.DoesNotContain(ReadLines(Path.Combine(output, "incidents.jsonl")), i => i.GetProperty("severity").GetString() != "low");
        Assert.Contains("outside --since/--until not examined", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_OtherTenantOnly_NoIncidentInTheSimulatedTenant()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e-tenant").FullName;

        CliResult result = CliRunner.Run("scan", Simulated, RepositoryPaths.Exports, "--out", output, "--tenant", ContosoTenant);

        Assert.True(result.ExitCode == 0, result.Stderr);
        JsonElement[] incidents = ReadLines(Path.Combine(output, "incidents.jsonl"));
        Assert.NotEmpty(incidents);
        Assert.All(incidents, i => Assert.Equal(ContosoTenant, i.GetProperty("tenant").GetString()));
    }

    [Fact]
    public void Scan_IocFileNamingAnOfficeAddress_IndicatorAlertsAndBadLinesReported()
    {
        string dir = Directory.CreateTempSubdirectory("fw-e2e-ioc").FullName;
        string ioc = Path.Combine(dir, "iocs.csv");
        File.WriteAllText(ioc, "type,value,description\nipv4,198.18.0.0/16,office range under investigation\nipv4,not-an-address,typo\n");
        string output = Path.Combine(dir, "out");

        CliResult result = CliRunner.Run("scan", Simulated, "--out", output, "--ioc", ioc);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("indicator not used", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(ReadLines(Path.Combine(output, "alerts.jsonl")), a => a.GetProperty("detection").GetString() == "FW1003"
            && a.GetProperty("details").GetProperty("indicator_ip").GetString() == "198.18.0.0/16");
    }

    [Theory]
    [InlineData("--fail-on", "severe")]
    [InlineData("--since", "yesterday")]
    [InlineData("--ioc", "/nonexistent/iocs.csv")]
    [InlineData("--until", "2023-05-01", "--since", "2023-05-02")]
    public void Scan_BadFlagValue_UsageErrorExitTwo(string flag, string value, params string[] more)
    {
        CliResult result = CliRunner.Run(["scan", Simulated, "--out", Directory.CreateTempSubdirectory("fw-e2e-bad").FullName, flag, value, .. more]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("forgewatch: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_OutputFileCannotBeWritten_ExitTwoSaysWhy()
    {
        string output = Directory.CreateTempSubdirectory("fw-e2e-unwritable").FullName;
        Directory.CreateDirectory(Path.Combine(output, "alerts.jsonl"));

        CliResult result = CliRunner.Run("scan", Simulated, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("forgewatch: cannot write", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_HostileFieldsInAnIncident_HtmlAndCsvStayInert()
    {
        string dir = Directory.CreateTempSubdirectory("fw-e2e-hostile-out").FullName;
        const string Script = "<script>alert(1)</script>";
        string record = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["CreationTime"] = "2023-06-06T02:14:07",
            ["Id"] = "00000000-0000-4000-8000-0000000000f1",
            ["Operation"] = "MailItemsAccessed",
            ["OrganizationId"] = "aaaaaaaa-0000-4000-8000-000000000001",
            ["RecordType"] = 50,
            ["UserId"] = "victim@example.test",
            ["MailboxOwnerUPN"] = "victim@example.test",
            ["ClientIPAddress"] = "146.70.157.45",
            ["ClientInfoString"] = Script + "\u001b[31m",
            ["OperationProperties"] = new[] { new { Name = "MailAccessType", Value = "Bind" } },
            ["Folders"] = new[]
            {
                new { Path = "=HYPERLINK(\"http://evil.test\",\"x\")", FolderItems = new[] { new { InternetMessageId = "@SUM(1+1)<x@evil.test>" } } },
                new { Path = "\\Inbox\r\n-2+3\u0007" + Script, FolderItems = new[] { new { InternetMessageId = "+cmd|'/c calc'!A0" } } },
            },
        });
        File.WriteAllText(Path.Combine(dir, "hostile.jsonl"), record + "\n");
        string output = Path.Combine(dir, "out");

        CliResult result = CliRunner.Run("scan", dir, "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', html);
        Assert.DoesNotContain('\u0007', html);

        string[] lines = File.ReadAllLines(Path.Combine(output, "exposure.csv"));
        Assert.Equal(3, lines.Length);
        foreach (string line in lines.Skip(1))
        {
            foreach (string cell in SplitCsv(line))
            {
                Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"formula cell: {cell}");
                Assert.DoesNotContain(cell, c => char.IsControl(c));
            }
        }

        Assert.Contains(lines, l => l.Contains("'=HYPERLINK", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'@SUM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'+cmd", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\\Inbox\\u000d\\u000a-2+3\\u0007", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    /// <summary>A truth file's mailbox-to-values map as (mailbox, value) pairs.</summary>
    private static HashSet<(string, string)> Pairs(JsonElement byMailbox) =>
        [.. byMailbox.EnumerateObject().SelectMany(m => m.Value.EnumerateArray().Select(v => (m.Name, v.GetString()!)))];

    private static JsonElement[] ReadLines(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>RFC 4180 cells of one line (quoted cells may hold commas and doubled quotes).</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
