using System.Text;

namespace Forgewatch.Reports.Terminal;

/// <summary>
/// Makes log-derived text safe to print: control characters (an ESC could rewrite the terminal) become
/// '?', and long values are cut. Use it for every value that came from a log.
/// </summary>
public static class TerminalText
{
    public static string Safe(string? value, int maxLength = 80)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxLength + 1));
        foreach (char c in value)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') ? '?' : c);
        }

        return builder.ToString();
    }
}
