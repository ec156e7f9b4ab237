using System.Text.Json;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>Records of a simulated tenant with two attacks, and what <c>scan</c> makes of them: what the
/// server must find too.</summary>
internal static class SimulatedTenant
{
    /// <summary>A simulated tenant with two attacks, its cut records dropped; the lines, and the scan's
    /// incidents described.</summary>
    public static (string Work, List<string> Lines, string[] Expected) SimulateAndScan()
    {
        string work = Path.Combine(Path.GetTempPath(), "forgewatch-e2e-serve", Guid.NewGuid().ToString("N"));
        Assert.Equal(0, CliRunner.Run("simulate", "--out", Path.Combine(work, "sim"), "--mailboxes", "12", "--days", "14", "--seed", "7", "--attack", "forged-token", "--attack", "app-impersonation").ExitCode);
        string logs = Path.Combine(work, "logs");
        Directory.CreateDirectory(logs);
        List<string> lines = [];
        foreach (string file in Directory.EnumerateFiles(Path.Combine(work, "sim", "logs")))
        {
            // The simulator cuts a few records in half on purpose; the server refuses a batch holding one.
            string[] whole = [.. File.ReadAllLines(file).Where(IsJson)];
            File.WriteAllLines(Path.Combine(logs, Path.GetFileName(file)), whole);
            lines.AddRange(whole);
        }

        CliResult scan = CliRunner.Run("scan", logs, "--out", Path.Combine(work, "scan"));
        Assert.Equal(0, scan.ExitCode);
        string[] expected = [.. File.ReadAllLines(Path.Combine(work, "scan", "incidents.jsonl")).Select(Describe).Order(StringComparer.Ordinal)];
        Assert.NotEmpty(expected);
        return (work, lines, expected);
    }

    /// <summary>An incident by what must not depend on how records arrived: id, severity, detections,
    /// mailboxes, alerts and the exposure per mailbox.</summary>
    public static string Describe(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement i = document.RootElement;
        return string.Join(
            " | ",
            i.GetProperty("id").GetString(),
            i.GetProperty("severity").GetString(),
            string.Join(',', i.GetProperty("detections").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("mailboxes").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("alert_ids").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("exposure").EnumerateArray().Select(e => $"{e.GetProperty("mailbox").GetString()}:{e.GetProperty("messages").GetInt32()}/{e.GetProperty("folders").GetInt32()}")));
    }

    private static bool IsJson(string line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
