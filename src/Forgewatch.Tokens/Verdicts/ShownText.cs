using System.Text;

namespace Forgewatch.Tokens.Verdicts;

/// <summary>A token's own value as a verdict message may quote it: at most 200 characters (a long issuer URL fits), control characters
/// replaced, so a message never carries terminal escapes or pages of attacker text.</summary>
internal static class ShownText
{
    public const int MaxLength = 200;

    public static string Of(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxLength) + 1);
        foreach (char c in value.Take(MaxLength))
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return value.Length > MaxLength ? text.Append('…').ToString() : text.ToString();
    }
}
