using System.Text.Json;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Reads the members of one JSON object of a scan output, throwing <see cref="InvalidDataException"/> with a
/// message naming the member when it is missing or of the wrong type; <see cref="JsonLinesReader"/> adds the
/// file and line.
/// </summary>
internal static class JsonFields
{
    public static string String(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        throw new InvalidDataException($"'{name}' is missing or not a string.");
    }

    public static IReadOnlyList<string> Strings(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"'{name}' is missing or not an array.");
        }

        var strings = new List<string>(value.GetArrayLength());
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"'{name}' holds a value that is not a string.");
            }

            strings.Add(item.GetString()!);
        }

        return strings;
    }

    /// <summary>An ISO 8601 time, as UTC (the outputs write <c>Z</c>; an offset is converted, not ignored).</summary>
    public static DateTime Time(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out DateTimeOffset time))
        {
            return time.UtcDateTime;
        }

        throw new InvalidDataException($"'{name}' is missing or not an ISO 8601 time.");
    }
}
