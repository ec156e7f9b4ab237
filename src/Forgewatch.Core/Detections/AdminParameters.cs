using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// Reads cmdlet parameters of an admin operation, whether the export kept them as name/value pairs or
/// flattened them into one <c>-Name value -Other value</c> string.
/// </summary>
internal static class AdminParameters
{
    public static string? Get(AdminOperationEvent e, string name)
    {
        foreach (NamedValue parameter in e.Parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Value;
            }
        }

        foreach (NamedValue parameter in e.Parameters)
        {
            if (parameter.Name is "Parameters" or "ExtendedProperties" && parameter.Value is { } flat && FromFlat(flat, name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>True when the parameter is present with a value that sets something (not empty, not $null, not False).</summary>
    public static bool IsSet(AdminOperationEvent e, string name) =>
        Get(e, name) is { } value && !string.IsNullOrWhiteSpace(value)
        && !value.Trim().Equals("$null", StringComparison.OrdinalIgnoreCase)
        && !value.Trim().Equals("False", StringComparison.OrdinalIgnoreCase)
        && !value.Trim().Equals("\"\"", StringComparison.Ordinal);

    /// <summary>Every value the operation logged: parameters, modified properties' new values, targets.</summary>
    public static IEnumerable<string> AllText(AdminOperationEvent e)
    {
        foreach (NamedValue parameter in e.Parameters)
        {
            if (parameter.Value is not null)
            {
                yield return parameter.Value;
            }
        }

        foreach (ModifiedProperty property in e.ModifiedProperties)
        {
            yield return property.Name;
            if (property.NewValue is not null)
            {
                yield return property.NewValue;
            }
        }

        foreach (string target in e.Targets)
        {
            yield return target;
        }
    }

    private static string? FromFlat(string flat, string name)
    {
        string marker = "-" + name;
        int at = 0;
        while ((at = flat.IndexOf(marker, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            int end = at + marker.Length;
            bool startsWord = at == 0 || char.IsWhiteSpace(flat[at - 1]);
            if (startsWord && (end == flat.Length || flat[end] is ' ' or ':'))
            {
                string rest = flat[end..].TrimStart(' ', ':');
                if (rest.StartsWith('"'))
                {
                    int close = rest.IndexOf('"', 1);
                    return close > 0 ? rest[1..close] : rest[1..];
                }

                int next = rest.IndexOf(" -", StringComparison.Ordinal);
                return (next >= 0 ? rest[..next] : rest).Trim();
            }

            at = end;
        }

        return null;
    }
}
