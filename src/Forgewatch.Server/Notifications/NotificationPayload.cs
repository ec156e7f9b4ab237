using System.Buffers;
using System.Text;
using System.Text.Json;
using Forgewatch.Server.Incidents;

namespace Forgewatch.Server.Notifications;

/// <summary>
/// The JSON body of a notification (docs/serve.md): <c>type</c> (<c>incident.new</c> or
/// <c>incident.severity_raised</c>), <c>tenant</c> (the Forgewatch tenant), <c>severity</c> and the whole
/// <c>incident</c>. Webhooks receive it as is; emails are written from it.
/// </summary>
public static class NotificationPayload
{
    public const string NewType = "incident.new";

    public const string RaisedType = "incident.severity_raised";

    public static string Write(IncidentChange change, StoredIncident incident)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(incident);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", change.Kind == IncidentChangeKind.New ? NewType : RaisedType);
            writer.WriteString("tenant", incident.Tenant);
            writer.WriteString("severity", Core.Alerts.SeverityNames.Name(change.Severity));
            writer.WritePropertyName("incident");
            writer.WriteRawValue(incident.Json, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
