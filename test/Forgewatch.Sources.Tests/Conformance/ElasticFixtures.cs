using System.Text.Json;
using Forgewatch.Testing;

namespace Forgewatch.Sources.Tests.Conformance;

/// <summary>One record to feed the normalizer: its JSON, and where in Elastic's fixture it sits.</summary>
/// <param name="Index">The event's position in the input file (0-based; for NDJSON, the line's).</param>
/// <param name="Form"><c>original</c> (the <c>event.original</c> string), <c>o365audit</c> (the object, re-serialized) or <c>line</c> (an NDJSON line).</param>
/// <param name="Json">The record as UTF-8 JSON text, exactly as the fixture holds it.</param>
internal sealed record ElasticInput(int Index, string Form, byte[] Json)
{
    public string Describe(string file) => Form == "line" ? $"{file} line {Index + 1}" : $"{file} event #{Index} ({Form})";
}

/// <summary>
/// Reads Elastic's pipeline test fixtures where they sit, in ../shared/testdata/external/elastic (never copied
/// into this repository). Source: github.com/elastic/integrations, packages/o365 and packages/azure; Elastic
/// License 2.0, see LICENSE.txt in that folder. A missing folder skips the test with a message (see
/// <see cref="RepositoryPaths.ExternalTestData"/>).
/// </summary>
internal static class ElasticFixtures
{
    public static string O365Folder => RepositoryPaths.ExternalTestData("elastic", "o365", "data_stream", "audit", "_dev", "test", "pipeline");

    public static string SignInFolder => RepositoryPaths.ExternalTestData("elastic", "azure", "data_stream", "signinlogs", "_dev", "test", "pipeline");

    /// <summary>
    /// The records of one input file: for <c>{"events":[...]}</c> files, each event's <c>event.original</c>
    /// string (when present) and its <c>o365audit</c> object (when present) as two inputs; for NDJSON files,
    /// each non-blank line.
    /// </summary>
    public static List<ElasticInput> ReadInputs(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        var inputs = new List<ElasticInput>();
        if (path.EndsWith(".log", StringComparison.Ordinal))
        {
            int index = 0;
            foreach (string line in System.Text.Encoding.UTF8.GetString(content).Split('\n'))
            {
                if (line.Trim().Length > 0)
                {
                    inputs.Add(new ElasticInput(index, "line", System.Text.Encoding.UTF8.GetBytes(line.TrimEnd('\r'))));
                }

                index++;
            }

            return inputs;
        }

        using JsonDocument document = JsonDocument.Parse(content);
        int i = 0;
        foreach (JsonElement e in document.RootElement.GetProperty("events").EnumerateArray())
        {
            if (e.TryGetProperty("event", out JsonElement ev) && ev.TryGetProperty("original", out JsonElement original))
            {
                inputs.Add(new ElasticInput(i, "original", System.Text.Encoding.UTF8.GetBytes(original.GetString()!)));
            }

            if (e.TryGetProperty("o365audit", out JsonElement audit))
            {
                inputs.Add(new ElasticInput(i, "o365audit", System.Text.Encoding.UTF8.GetBytes(audit.GetRawText())));
            }

            i++;
        }

        return inputs;
    }

    /// <summary>The documents of a <c>*-expected.json</c> file (<c>{"expected":[...]}</c>).</summary>
    public static List<JsonElement> ReadExpected(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. document.RootElement.GetProperty("expected").EnumerateArray().Select(d => d.Clone())];
    }

    /// <summary>The record parsed on its own, or null when its JSON is malformed (decided without the
    /// normalizer, so that a rejection can be checked against it).</summary>
    public static JsonElement? ParseIndependently(byte[] json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The value at a dotted path as text: strings as they are, numbers and booleans as written. Null when
    /// absent, JSON null, an empty string, or not a scalar: Forgewatch keeps no empty values (an empty id is
    /// no id), and Elastic drops most of them. Member names match case-insensitively, because the vendors'
    /// own records vary in case (<c>Category</c> and <c>category</c>).
    /// </summary>
    public static string? Text(this JsonElement element, string path)
    {
        JsonElement? found = element.At(path);
        if (found is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>The element at a dotted path, or null.</summary>
    public static JsonElement? At(this JsonElement element, string path)
    {
        JsonElement current = element;
        foreach (string name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !TryGetIgnoreCase(current, name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static bool TryGetIgnoreCase(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }
}
