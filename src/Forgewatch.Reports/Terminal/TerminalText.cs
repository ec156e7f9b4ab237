using System.Text;

namespace Forgewatch.Reports.Terminal;

/// <summary>
/// Makes log-derived text safe to print: control characters (an ESC could rewrite the terminal) and the
/// other characters <see cref="LogText.IsUnsafe"/> names become '?', and long values are cut. Use it for every value that came from a log.
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

            builder.Append(LogText.IsUnsafe(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
