using System.Text.Json;
using Forgewatch.Server.Notifications;

namespace Forgewatch.Server.Tests.Notifications;

public class ChatMessageTests
{
    [Fact]
    public void Write_NewIncident_OneTextMemberWithSeverityTenantAndId()
    {
        string payload = """{"type":"incident.new","tenant":"contoso","severity":"high","incident":{"id":"INC-1","summary":"An application read 3 mailboxes."}}""";

        using JsonDocument message = JsonDocument.Parse(ChatMessage.Write(payload));

        Assert.Equal(["text"], message.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Forgewatch: new high incident in contoso: INC-1.\nAn application read 3 mailboxes.", message.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Write_SeverityRaised_SaysSo()
    {
        string payload = """{"type":"incident.severity_raised","tenant":"contoso","severity":"critical","incident":{"id":"INC-1"}}""";

        using JsonDocument message = JsonDocument.Parse(ChatMessage.Write(payload));

        Assert.Equal("Forgewatch: incident INC-1 in contoso is now critical.", message.RootElement.GetProperty("text").GetString());
    }

    /// <summary>A summary built from log values cannot add links, mentions or formatting to the chat.</summary>
    [Fact]
    public void Write_HostileSummary_MarkupNeutralizedAndBounded()
    {
        string hostile = "<!channel> <https://evil.example|click> *bold* _it_ ~x~ `code` [link](https://evil.example) & \u0007 \u202Egnp.exe" + new string('a', 5000);
        string payload = JsonSerializer.Serialize(new { type = "incident.new", tenant = "contoso", severity = "low", incident = new { id = "INC-2", summary = hostile } });

        string text = JsonDocument.Parse(ChatMessage.Write(payload)).RootElement.GetProperty("text").GetString()!;

        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", text.Replace("&gt;", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("*", text, StringComparison.Ordinal);
        Assert.DoesNotContain("`", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", text, StringComparison.Ordinal);
        Assert.True(text.Length < 2000, $"{text.Length} characters");
    }
}
