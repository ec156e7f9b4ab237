using System.Globalization;
using System.Text;

namespace Forgewatch.Reports;

/// <summary>
/// The characters of log-derived text that no output shows as they are: control characters (an ESC
/// rewrites a terminal, a line end breaks a CSV row) and the invisible marks that reorder or break text
/// (bidirectional marks, overrides and isolates, line and paragraph separators), with which
/// "\u202Egnp.exe" reads as "exe.png". The terminal replaces them, the files write them as escapes.
/// </summary>
public static class LogText
{
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary><paramref name="text"/> with each unsafe character written as a visible <c>\uXXXX</c>.</summary>
    public static string Escaped(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            AppendEscaped(builder, c);
        }

        return builder.ToString();
    }

    /// <summary>Appends <paramref name="c"/>, as <c>\uXXXX</c> when it is unsafe.</summary>
    public static void AppendEscaped(StringBuilder builder, char c)
    {
        if (IsUnsafe(c))
        {
            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(c);
        }
    }
}
