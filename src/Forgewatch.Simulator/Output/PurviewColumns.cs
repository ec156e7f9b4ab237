using System.Globalization;
using System.Text.Json;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// The members of a UAL record that a Purview audit export repeats in columns of their own beside
/// <c>AuditData</c>: <c>Operation</c>, <c>RecordType</c> (as its name) and <c>UserId</c>.
/// </summary>
internal readonly record struct PurviewColumns(string? Operation, string? RecordType, string? UserId)
{
    /// <summary>Reads the top-level members of <paramref name="json"/>. A record cut short (a malformed one)
    /// gives the members before the cut, as far as they go, rather than failing: its row is still written.</summary>
    public static PurviewColumns Read(ReadOnlySpan<byte> json)
    {
        string? operation = null, recordType = null, userId = null;
        // Not the final block: the end of a cut record then reads as "more data needed", not as an error.
        var reader = new Utf8JsonReader(json, isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while ((operation is null || recordType is null || userId is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int member = reader.ValueTextEquals("Operation"u8) ? 1 : reader.ValueTextEquals("RecordType"u8) ? 2 : reader.ValueTextEquals("UserId"u8) ? 3 : 0;
                if (!reader.Read())
                {
                    break;
                }

                switch (member)
                {
                    case 1 when reader.TokenType == JsonTokenType.String:
                        operation = reader.GetString();
                        break;
                    case 2 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int number):
                        recordType = RecordTypeName(number);
                        break;
                    case 2 when reader.TokenType == JsonTokenType.String:
                        string text = reader.GetString()!;
                        recordType = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? RecordTypeName(parsed) : text;
                        break;
                    case 3 when reader.TokenType == JsonTokenType.String:
                        userId = reader.GetString();
                        break;
                    default:
                        break;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the row keeps its id and time, and AuditData tells the reader the rest.
        }

        return new PurviewColumns(operation, recordType, userId);
    }

    /// <summary>The name Purview shows for a record type (Microsoft's AuditLogRecordType); the number for
    /// types not listed. Readers trust <c>AuditData</c>, so this column only has to look right.</summary>
    public static string RecordTypeName(int recordType) => recordType switch
    {
        1 => "ExchangeAdmin",
        2 => "ExchangeItem",
        3 => "ExchangeItemGroup",
        4 => "SharePoint",
        6 => "SharePointFileOperation",
        8 => "AzureActiveDirectory",
        9 => "AzureActiveDirectoryAccountLogon",
        15 => "AzureActiveDirectoryStsLogon",
        50 => "ExchangeItemAggregated",
        _ => recordType.ToString(CultureInfo.InvariantCulture),
    };
}
