using System.Text.Json;
using Forgewatch.Reports.Files;

namespace Forgewatch.Reports.Tests.Files;

public sealed class ScanOutputFilesTests
{
    [Fact]
    public void ExposureCsv_HostileFoldersAndIds_EveryCellInertAndNineColumns()
    {
        var (result, _, _) = HostileInvestigation.Create();
        string dir = Directory.CreateTempSubdirectory("fw-exposure").FullName;

        ExposureCsvWriter.Write(dir, result.Exposure);

        string[] lines = File.ReadAllText(Path.Combine(dir, ExposureCsvWriter.FileName)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ExposureCsvWriter.Header, lines[0]);
        Assert.Equal(5, lines.Length);
        foreach (string line in lines.Skip(1))
        {
            List<string> cells = Csv.Split(line);
            Assert.Equal(9, cells.Count);
            Assert.All(cells, cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', cell));
            Assert.All(cells, cell => Assert.DoesNotContain(cell, char.IsControl));
            Assert.Equal("true", cells[7]);
        }

        Assert.Contains(lines, l => Csv.Split(l)[3] == "'" + HostileInvestigation.Folders[0]);
        Assert.Contains(lines, l => Csv.Split(l)[4] == "'" + HostileInvestigation.MessageIds[0]);
    }

    [Fact]
    public void AlertsJsonl_HostileUserAgent_OneObjectPerLineValuesExactAndNoRawControlCharacters()
    {
        var (result, _, _) = HostileInvestigation.Create();
        string dir = Directory.CreateTempSubdirectory("fw-alerts").FullName;

        AlertsWriter.Write(dir, result.Alerts);

        string text = File.ReadAllText(Path.Combine(dir, AlertsWriter.FileName));
        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(result.Alerts.Count, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument alert = JsonDocument.Parse(line);
            foreach (string field in (string[])["id", "detection", "title", "severity", "confidence", "tenant", "user", "mailbox", "first_seen", "last_seen", "evidence_ids", "attributes", "incident"])
            {
                Assert.True(alert.RootElement.TryGetProperty(field, out _), field);
            }

            Assert.Equal(HostileInvestigation.UserAgent, alert.RootElement.GetProperty("attributes").GetProperty("user_agent").GetString());
        }
    }

    [Fact]
    public void IncidentsJsonl_Investigation_AlertIdsMailboxesAndExposurePerMailbox()
    {
        var (result, _, _) = HostileInvestigation.Create();
        string dir = Directory.CreateTempSubdirectory("fw-incidents").FullName;

        IncidentsWriter.Write(dir, result.Incidents);

        string[] lines = File.ReadAllLines(Path.Combine(dir, IncidentsWriter.FileName));
        using JsonDocument incident = JsonDocument.Parse(Assert.Single(lines));
        JsonElement root = incident.RootElement;
        Assert.Equal(result.Incidents[0].Alerts.Select(a => a.Id), root.GetProperty("alert_ids").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal([HostileInvestigation.Mailbox], root.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetString()));
        JsonElement exposure = Assert.Single(root.GetProperty("exposure").EnumerateArray());
        Assert.Equal(4, exposure.GetProperty("messages").GetInt32());
        Assert.True(exposure.GetProperty("throttled").GetBoolean());
        Assert.Contains("4 messages", root.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>RFC 4180 cells of one line.</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
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
