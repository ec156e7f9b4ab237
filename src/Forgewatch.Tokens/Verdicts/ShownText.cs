using System.Text;

namespace Forgewatch.Tokens.Verdicts;

/// <summary>A token's own value as a verdict message may quote it: at most 64 characters, control characters
/// replaced, so a message never carries terminal escapes or pages of attacker text.</summary>
internal static class ShownText
{
    public static string Of(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, 64) + 1);
        foreach (char c in value.Take(64))
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return value.Length > 64 ? text.Append('…').ToString() : text.ToString();
    }
}
