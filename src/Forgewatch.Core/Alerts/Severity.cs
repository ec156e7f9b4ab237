namespace Forgewatch.Core.Alerts;

/// <summary>How bad a finding is if true. Ordered: a higher value is more severe. Names are stable
/// (<see cref="SeverityNames"/>): <c>--fail-on</c> and the output files use them.</summary>
public enum Severity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>How likely a finding is to be what it says. Ordered: a higher value is more likely.</summary>
public enum Confidence
{
    Low = 1,
    Medium = 2,
    High = 3,
}

/// <summary>Stable lower-case names of <see cref="Severity"/> and <see cref="Confidence"/> values.</summary>
public static class SeverityNames
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    public static string Name(this Confidence confidence) => confidence switch
    {
        Confidence.Low => "low",
        Confidence.Medium => "medium",
        Confidence.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(confidence), confidence, null),
    };

    /// <summary>Parses a severity name, any case.</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        foreach (Severity candidate in Enum.GetValues<Severity>())
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                severity = candidate;
                return true;
            }
        }

        severity = default;
        return false;
    }

    /// <summary>One step up, at most <see cref="Severity.Critical"/>.</summary>
    public static Severity Raised(this Severity severity) => severity == Severity.Critical ? severity : severity + 1;
}
