using System.Text.Json;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Parsing;

/// <summary>
/// Reads a token's header or payload: exactly one JSON object, UTF-8, no member name twice in any object
/// (parsers that keep the first and parsers that keep the last would read two different tokens), and
/// nested no deeper than a limit.
/// </summary>
public static class StrictJson
{
    /// <summary>Objects and arrays inside each other, at most.</summary>
    public const int DefaultMaxDepth = 16;

    /// <summary>The object in <paramref name="utf8"/>, or <c>null</c> with <paramref name="problem"/> saying
    /// why not. The caller disposes the document.</summary>
    public static JsonDocument? ParseObject(ReadOnlyMemory<byte> utf8, out string problem, int maxDepth = DefaultMaxDepth)
    {
        // The parser checks strings' UTF-8 only when they are read: check it all first.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            problem = "not UTF-8";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            problem = $"not JSON ({e.Message})";
            return null;
        }

        JsonValueKind kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            problem = $"a JSON {kind.ToString().ToLowerInvariant()}, not an object";
            return null;
        }

        string? repeated;
        try
        {
            repeated = FirstRepeatedName(document.RootElement);
        }
        catch (InvalidOperationException)
        {
            document.Dispose();
            problem = "not JSON (a member name escapes a lone surrogate)";
            return null;
        }

        if (repeated is not null)
        {
            document.Dispose();
            problem = $"the member name \"{ShownText.Of(repeated)}\" appears twice in one object";
            return null;
        }

        problem = "";
        return document;
    }

    private static string? FirstRepeatedName(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty member in element.EnumerateObject())
                {
                    if (!names.Add(member.Name))
                    {
                        return member.Name;
                    }

                    if (FirstRepeatedName(member.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (FirstRepeatedName(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
