using System.Text;
using System.Text.Json;

namespace Forgewatch.Sources.Framing;

/// <summary>Decides how to frame a file from its first bytes, never from its name.</summary>
internal static class FormatSniffer
{
    /// <summary>The line PowerShell 5's Export-Csv writes before the header unless told not to.</summary>
    public static ReadOnlySpan<byte> PowerShellTypeLine => "#TYPE "u8;

    public static InputFormat Sniff(ReadOnlySpan<byte> head, out string description)
    {
        ReadOnlySpan<byte> text = head.TrimStart(" \t\r\n"u8);
        description = string.Empty;
        if (text.IsEmpty)
        {
            return InputFormat.Empty;
        }

        if (text[0] is (byte)'{' or (byte)'[')
        {
            return LooksLikeJsonLines(text) ? InputFormat.JsonLines : InputFormat.JsonDocument;
        }

        ReadOnlySpan<byte> header = CsvLine(text, out ReadOnlySpan<byte> afterHeader);
        if (header.StartsWith(PowerShellTypeLine))
        {
            header = CsvLine(afterHeader, out _);
        }

        if (ContainsColumn(header, "AuditData"))
        {
            return InputFormat.UalCsv;
        }

        if (ContainsColumn(header, "OfficeWorkload") || ContainsColumn(header, "Client_IPAddress") || ContainsColumn(header, "OfficeId"))
        {
            return InputFormat.SentinelCsv;
        }

        string start = Encoding.UTF8.GetString(header[..Math.Min(header.Length, 80)]);
        description = $"starts with \"{Printable(start)}\"";
        return InputFormat.Unknown;
    }

    /// <summary>True when the first line, or failing that the second, is one whole JSON value and more
    /// content follows on later lines.</summary>
    private static bool LooksLikeJsonLines(ReadOnlySpan<byte> text)
    {
        for (int attempt = 0; attempt < 2 && !text.IsEmpty; attempt++)
        {
            ReadOnlySpan<byte> line = FirstLine(text);
            ReadOnlySpan<byte> rest = text[Math.Min(text.Length, line.Length + 1)..].TrimStart(" \t\r\n"u8);
            if (IsWholeJsonValue(line.TrimEnd(" \t\r"u8)))
            {
                return !rest.IsEmpty;
            }

            text = rest;
        }

        return false;
    }

    private static bool IsWholeJsonValue(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || (line[0] != '{' && line[0] != '['))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The first line of CSV text, which may end in LF, CRLF or (old Mac Excel) a lone CR.</summary>
    private static ReadOnlySpan<byte> CsvLine(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> rest)
    {
        int end = text.IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
        {
            rest = default;
            return text;
        }

        int next = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
        rest = text[next..];
        return text[..end];
    }

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> text)
    {
        int newline = text.IndexOf((byte)'\n');
        return newline < 0 ? text : text[..newline];
    }

    /// <summary>Whether a header cell is <paramref name="name"/>; cells are split at any of the separators
    /// CSV exports use (comma, semicolon, tab, bar), none of which the names sought contain.</summary>
    private static bool ContainsColumn(ReadOnlySpan<byte> header, string name)
    {
        foreach (Range range in header.SplitAny(",;\t|"u8))
        {
            ReadOnlySpan<byte> column = header[range].Trim(" \t\r\""u8);
            int bracket = column.IndexOf(" ["u8);
            if (bracket > 0)
            {
                column = column[..bracket];
            }

            if (Ascii.EqualsIgnoreCase(column, Encoding.ASCII.GetBytes(name)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
