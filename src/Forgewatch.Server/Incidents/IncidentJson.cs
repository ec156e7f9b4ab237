using System.Buffers;
using System.Text;
using System.Text.Json;
using Forgewatch.Core.Incidents;
using Forgewatch.Reports.Files;

namespace Forgewatch.Server.Incidents;

/// <summary>An incident as one JSON object with the fields of <c>incidents.jsonl</c> (docs/formats.md), so the
/// API, the webhook and <c>scan</c> describe incidents alike.</summary>
public static class IncidentJson
{
    public static string Of(Incident incident)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            IncidentsWriter.WriteMembers(writer, incident);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
