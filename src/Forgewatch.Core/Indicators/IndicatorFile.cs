namespace Forgewatch.Core.Indicators;

/// <summary>One indicator file of either kind: STIX 2.1 JSON when its first character (after white space and
/// a byte order mark) is <c>{</c> or <c>[</c>, CSV otherwise (docs/formats.md, "Indicator files").</summary>
public static class IndicatorFile
{
    /// <summary>Adds the file's indicators to <paramref name="target"/>; returns the entries not taken, with
    /// why. <paramref name="content"/> must be seekable.</summary>
    public static IReadOnlyList<IndicatorRejection> Read(Stream content, string source, IndicatorSet target)
    {
        ArgumentNullException.ThrowIfNull(content);
        return LooksLikeJson(content)
            ? IndicatorStix.Read(content, source, target)
            : IndicatorCsv.Read(new StreamReader(content), source, target);
    }

    private static bool LooksLikeJson(Stream stream)
    {
        int first;
        do
        {
            first = stream.ReadByte();
        }
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);

        stream.Position = 0;
        return first is '{' or '[';
    }
}
