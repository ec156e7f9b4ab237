using System.Text;
using System.Text.Json;

namespace Forgewatch.Core.Indicators;

/// <summary>
/// Reads indicators from STIX 2.1 JSON: a bundle (<c>{"type":"bundle","objects":[...]}</c>), an array of
/// objects, or one object. Of each <c>indicator</c> object with a STIX pattern it takes the comparisons it
/// can match on one event: <c>[ipv4-addr:value = '...']</c> and <c>[ipv6-addr:value = '...']</c> (an
/// address, or a range with <c>ISSUBSET</c> or a <c>/</c>) and the HTTP request's <c>User-Agent</c>
/// header (<c>[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = '...']</c>),
/// several of them joined by <c>OR</c>. Other patterns (other objects, <c>AND</c>, <c>FOLLOWEDBY</c>, other
/// operators, other pattern languages) are rejected with the reason, never half-read. Other objects are
/// skipped. The pattern grammar is small enough that a hand-written reader is clearer than a parser
/// library.
/// </summary>
public static class IndicatorStix
{
    private const string UserAgentPath = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'";

    /// <summary>Adds the indicators of <paramref name="json"/> to <paramref name="target"/>; returns those
    /// it did not take. Throws <see cref="JsonException"/> when the file is not JSON.</summary>
    public static IReadOnlyList<IndicatorRejection> Read(Stream json, string source, IndicatorSet target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        var rejections = new List<IndicatorRejection>();
        JsonElement root = document.RootElement;
        IEnumerable<JsonElement> objects = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray(),
            JsonValueKind.Object when root.TryGetProperty("objects", out JsonElement list) && list.ValueKind == JsonValueKind.Array => list.EnumerateArray(),
            JsonValueKind.Object => [root],
            _ => throw new JsonException("A STIX file holds a bundle, an array of objects, or one object."),
        };

        int index = 0;
        foreach (JsonElement item in objects)
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object || Text(item, "type") != "indicator")
            {
                continue;
            }

            string location = Text(item, "id") ?? $"object {index}";
            string? reason = ReadIndicator(item, $"{source}, {location}", target);
            if (reason is not null)
            {
                rejections.Add(new IndicatorRejection(source, location, reason));
            }
        }

        return rejections;
    }

    private static string? ReadIndicator(JsonElement item, string source, IndicatorSet target)
    {
        string? patternType = Text(item, "pattern_type");
        if (patternType is not null && patternType != "stix")
        {
            return $"pattern type \"{Bounded(patternType)}\" is not read (only STIX patterns are)";
        }

        if (Text(item, "pattern") is not { } pattern)
        {
            return "the indicator has no pattern";
        }

        if (!TryParse(pattern, out List<(string Path, string Operator, string Value)> comparisons, out string? problem))
        {
            return problem;
        }

        string? description = Text(item, "name") ?? Text(item, "description");
        var indicators = new List<Indicator>();
        foreach ((string path, string op, string value) in comparisons)
        {
            IndicatorKind? kind = (path, op) switch
            {
                ("ipv4-addr:value" or "ipv6-addr:value", "=") => value.Contains('/', StringComparison.Ordinal) ? IndicatorKind.IpNetwork : IndicatorKind.IpAddress,
                ("ipv4-addr:value" or "ipv6-addr:value", "ISSUBSET") => IndicatorKind.IpNetwork,
                (UserAgentPath, "=") => IndicatorKind.UserAgent,
                _ => null,
            };
            if (kind is null)
            {
                return $"the comparison \"{Bounded(path)} {op}\" is not one Forgewatch matches (addresses with = or ISSUBSET, the User-Agent header with =)";
            }

            indicators.Add(new Indicator(kind.Value, value, source, description));
        }

        // All or nothing: check every value before adding any.
        var check = new IndicatorSet();
        foreach (Indicator indicator in indicators)
        {
            if (!check.TryAdd(indicator, out string? error))
            {
                return $"\"{Bounded(indicator.Value)}\": {error}";
            }
        }

        foreach (Indicator indicator in indicators)
        {
            target.TryAdd(indicator, out _);
        }

        return null;
    }

    /// <summary>
    /// Reads <c>[path op 'value'] OR [path op 'value' OR path op 'value'] ...</c>: observation expressions
    /// joined by OR, each holding comparisons joined by OR. Anything else is refused with the reason.
    /// </summary>
    private static bool TryParse(string pattern, out List<(string Path, string Operator, string Value)> comparisons, out string? problem)
    {
        comparisons = [];
        int i = 0;
        bool first = true;
        while (true)
        {
            SkipSpaces(pattern, ref i);
            if (i >= pattern.Length)
            {
                problem = first ? "the pattern is empty" : null;
                return !first;
            }

            if (!first && !TakeWord(pattern, ref i, "OR"))
            {
                return Fail($"only OR may join observations (found \"{Bounded(pattern[i..])}\")", out problem);
            }

            SkipSpaces(pattern, ref i);
            if (i >= pattern.Length || pattern[i] != '[')
            {
                return Fail("an observation starts with [", out problem);
            }

            i++;
            while (true)
            {
                SkipSpaces(pattern, ref i);
                int pathStart = i;
                while (i < pattern.Length && pattern[i] != ' ' && pattern[i] != '=' && pattern[i] != ']')
                {
                    i = pattern[i] == '\'' ? pattern.IndexOf('\'', i + 1) + 1 : i + 1;
                    if (i == 0)
                    {
                        return Fail("a quoted path step is not closed", out problem);
                    }
                }

                string path = pattern[pathStart..i];
                SkipSpaces(pattern, ref i);
                string op = i < pattern.Length && pattern[i] == '=' ? "=" : TakeWord(pattern, ref i, "ISSUBSET") ? "ISSUBSET" : string.Empty;
                if (op == "=")
                {
                    i++;
                }
                else if (op.Length == 0)
                {
                    return Fail($"the comparison on \"{Bounded(path)}\" uses an operator other than = or ISSUBSET", out problem);
                }

                SkipSpaces(pattern, ref i);
                if (!TakeString(pattern, ref i, out string? value))
                {
                    return Fail($"the comparison on \"{Bounded(path)}\" does not compare with a quoted string", out problem);
                }

                comparisons.Add((path, op, value));
                SkipSpaces(pattern, ref i);
                if (i < pattern.Length && pattern[i] == ']')
                {
                    i++;
                    break;
                }

                if (!TakeWord(pattern, ref i, "OR"))
                {
                    return Fail("only OR may join comparisons (AND needs several values of one event at once)", out problem);
                }
            }

            first = false;
            SkipSpaces(pattern, ref i);
            if (i < pattern.Length && pattern[i] != 'O')
            {
                return Fail($"qualifiers and operators after an observation are not read (\"{Bounded(pattern[i..])}\")", out problem);
            }
        }
    }

    /// <summary>A STIX string literal: single quotes, <c>\'</c> and <c>\\</c> escapes.</summary>
    private static bool TakeString(string pattern, ref int i, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = null;
        if (i >= pattern.Length || pattern[i] != '\'')
        {
            return false;
        }

        var text = new StringBuilder();
        for (i++; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '\'' or '\\')
            {
                text.Append(pattern[++i]);
            }
            else if (c == '\'')
            {
                i++;
                value = text.ToString();
                return true;
            }
            else
            {
                text.Append(c);
            }
        }

        return false;
    }

    private static bool TakeWord(string pattern, ref int i, string word)
    {
        if (string.CompareOrdinal(pattern, i, word, 0, word.Length) == 0 && (i + word.Length == pattern.Length || pattern[i + word.Length] is ' ' or '['))
        {
            i += word.Length;
            return true;
        }

        return false;
    }

    private static void SkipSpaces(string pattern, ref int i)
    {
        while (i < pattern.Length && char.IsWhiteSpace(pattern[i]))
        {
            i++;
        }
    }

    private static bool Fail(string reason, out string? problem)
    {
        problem = reason;
        return false;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Bounded(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "...");
}
