namespace Forgewatch.Core.Indicators;

/// <summary>
/// Reads indicators from CSV: <c>type,value[,description]</c>, one a line, RFC 4180 quoting (a user agent
/// with commas is quoted), an optional header line naming those columns, <c>#</c> comment lines and blank
/// lines skipped. Types: <c>ip</c> (an address, or a CIDR range when it has a <c>/</c>), <c>cidr</c>,
/// <c>user-agent</c>, <c>user-agent-token</c>, <c>app-id</c>, <c>key-id</c> (also <c>kid</c>,
/// <c>thumbprint</c>). Hand-written: three columns do not need a CSV library in the core project.
/// </summary>
public static class IndicatorCsv
{
    private const int MaxLineLength = 4096;

    /// <summary>Adds every valid line to <paramref name="target"/>; returns the lines it did not take.</summary>
    public static IReadOnlyList<IndicatorRejection> Read(TextReader reader, string source, IndicatorSet target)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(target);
        var rejections = new List<IndicatorRejection>();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || (number == 1 && IsHeader(trimmed)))
            {
                continue;
            }

            string? reason = line.Length > MaxLineLength ? $"the line is longer than {MaxLineLength} characters"
                : !TrySplit(trimmed, out List<string> fields) ? "a quoted value is not closed on its line"
                : fields.Count is < 2 or > 3 ? "expected type,value[,description]"
                : !TryKind(fields[0], fields[1], out IndicatorKind kind) ? $"unknown type \"{Bounded(fields[0])}\""
                : !target.TryAdd(new Indicator(kind, fields[1], $"{source}, line {number}", fields.Count == 3 && fields[2].Length > 0 ? fields[2] : null), out string? error) ? error
                : null;
            if (reason is not null)
            {
                rejections.Add(new IndicatorRejection(source, $"line {number}", reason));
            }
        }

        return rejections;
    }

    private static bool IsHeader(string line) => line.StartsWith("type,", StringComparison.OrdinalIgnoreCase);

    private static bool TryKind(string type, string value, out IndicatorKind kind)
    {
        switch (type.Trim().ToLowerInvariant())
        {
            case "ip" or "ipv4" or "ipv6" or "ip-address" or "ipv4-addr" or "ipv6-addr":
                kind = value.Contains('/', StringComparison.Ordinal) ? IndicatorKind.IpNetwork : IndicatorKind.IpAddress;
                return true;
            case "cidr" or "ip-network" or "network":
                kind = IndicatorKind.IpNetwork;
                return true;
            case "user-agent" or "useragent":
                kind = IndicatorKind.UserAgent;
                return true;
            case "user-agent-token":
                kind = IndicatorKind.UserAgentToken;
                return true;
            case "app-id" or "appid" or "application-id":
                kind = IndicatorKind.AppId;
                return true;
            case "key-id" or "kid" or "thumbprint" or "x5t":
                kind = IndicatorKind.KeyId;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>Splits one line into fields: plain, or in double quotes with <c>""</c> for a quote.</summary>
    private static bool TrySplit(string line, out List<string> fields)
    {
        fields = [];
        int i = 0;
        while (true)
        {
            var field = new System.Text.StringBuilder();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (line[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(line[i++]);
                    }
                }

                // Anything between the closing quote and the next comma is kept as written.
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }

            fields.Add(field.ToString().Trim());
            if (i >= line.Length)
            {
                return true;
            }

            i++; // the comma
        }
    }

    private static string Bounded(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");
}
