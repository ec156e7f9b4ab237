using System.Text;
using System.Text.Json;
using Forgewatch.Reports;

namespace Forgewatch.Server.Notifications;

/// <summary>
/// A notification as a message for a Slack or Microsoft Teams incoming webhook: <c>{"text": "..."}</c>, which
/// both take. Text that came from logs (the summary, mailbox names) is attacker-controlled: the characters
/// chat markup gives meaning to (<c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>*</c>, <c>_</c>, <c>~</c>,
/// backticks, <c>[</c>, <c>]</c>) are escaped or dropped, so a log cannot add links or mentions; control and
/// reordering characters (<see cref="LogText.IsUnsafe"/>) become spaces; and the text is bounded.
/// </summary>
public static class ChatMessage
{
    private const int MaxSummary = 1500;

    public static string Write(string payload)
    {
        using JsonDocument document = JsonDocument.Parse(payload);
        JsonElement root = document.RootElement;
        JsonElement incident = root.GetProperty("incident");
        string severity = root.GetProperty("severity").GetString() ?? "?";
        string tenant = root.GetProperty("tenant").GetString() ?? "?";
        string id = incident.TryGetProperty("id", out JsonElement idElement) ? idElement.GetString() ?? "?" : "?";
        bool raised = root.GetProperty("type").GetString() == NotificationPayload.RaisedType;
        var text = new StringBuilder();
        text.Append(raised ? $"Forgewatch: incident {Safe(id)} in {Safe(tenant)} is now {Safe(severity)}." : $"Forgewatch: new {Safe(severity)} incident in {Safe(tenant)}: {Safe(id)}.");
        if (incident.TryGetProperty("summary", out JsonElement summary) && summary.GetString() is { Length: > 0 } written)
        {
            text.Append('\n').Append(Safe(written.Length <= MaxSummary ? written : written[..MaxSummary] + "..."));
        }

        return JsonSerializer.Serialize(new { text = text.ToString() });
    }

    private static string Safe(string value)
    {
        var safe = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '&':
                    safe.Append("&amp;");
                    break;
                case '<':
                    safe.Append("&lt;");
                    break;
                case '>':
                    safe.Append("&gt;");
                    break;
                case '*' or '_' or '~' or '`' or '[' or ']':
                    safe.Append(' ');
                    break;
                default:
                    safe.Append(LogText.IsUnsafe(c) && c != '\n' ? ' ' : c);
                    break;
            }
        }

        return safe.ToString();
    }
}
