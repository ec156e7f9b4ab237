using Forgewatch.Core.Indicators;

namespace Forgewatch.Server.Hunting;

/// <summary>Checks an indicator file (CSV or STIX 2.1, docs/formats.md) before a tenant keeps it: how many
/// indicators it holds and which entries are not used, with why.</summary>
public static class IndicatorUpload
{
    /// <summary>Largest indicator file taken.</summary>
    public const int MaxBytes = 4 << 20;

    public static (int Indicators, IReadOnlyList<IndicatorRejection> Rejected) Check(byte[] content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        var set = new IndicatorSet();
        using var stream = new MemoryStream(content, writable: false);
        IReadOnlyList<IndicatorRejection> rejected = IndicatorFile.Read(stream, name, set);
        return (set.Count, rejected);
    }
}
