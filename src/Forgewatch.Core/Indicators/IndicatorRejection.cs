namespace Forgewatch.Core.Indicators;

/// <summary>An entry of an indicator file that was not taken, and why.</summary>
/// <param name="Source">The file.</param>
/// <param name="Location">Where in it: <c>line 12</c> for CSV, the indicator's id for STIX.</param>
/// <param name="Reason">Why it was not taken.</param>
public sealed record IndicatorRejection(string Source, string Location, string Reason);
