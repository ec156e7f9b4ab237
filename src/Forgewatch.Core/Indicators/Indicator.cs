namespace Forgewatch.Core.Indicators;

/// <summary>
/// One indicator of compromise: evidence to weigh, not a verdict (indicators age, and some are shared with
/// benign traffic).
/// </summary>
/// <param name="Kind">What <paramref name="Value"/> names.</param>
/// <param name="Value">The value as published (an address, a CIDR range, a user agent, an id).</param>
/// <param name="Source">Where it comes from: a publication for the built-in set, a file and line otherwise.</param>
/// <param name="Description">What the source says of it, if anything.</param>
public sealed record Indicator(IndicatorKind Kind, string Value, string Source, string? Description = null)
{
    /// <summary>True for an indicator common in benign records too (the Exchange REST client string): it is
    /// added to the evidence of a stronger match on the same record and never alerts alone.</summary>
    public bool Weak { get; init; }
}
