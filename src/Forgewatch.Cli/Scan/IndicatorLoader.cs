using Forgewatch.Core.Indicators;
using Forgewatch.Reports.Terminal;

namespace Forgewatch.Cli.Scan;

/// <summary>
/// The indicators a scan matches: the built-in Storm-0558 set plus each <c>--ioc</c> file, read as STIX 2.1
/// when it starts with <c>{</c> or <c>[</c> and as CSV otherwise. Entries that are not taken are reported
/// on standard error with their line or id and the reason.
/// </summary>
internal static class IndicatorLoader
{
    /// <summary>Loads the set; null (after saying why) when a file cannot be read at all.</summary>
    public static IndicatorSet? Load(IReadOnlyList<string> files, TextWriter errors, out int rejected)
    {
        IndicatorSet set = Storm0558Indicators.Create();
        rejected = 0;
        foreach (string file in files)
        {
            IReadOnlyList<IndicatorRejection> rejections;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                rejections = IndicatorFile.Read(stream, file, set);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"forgewatch: cannot read indicator file {TerminalText.Safe(file, 300)}: {e.Message}");
                return null;
            }

            foreach (IndicatorRejection rejection in rejections)
            {
                errors.WriteLine($"forgewatch: indicator not used: {TerminalText.Safe(rejection.Source, 200)} {TerminalText.Safe(rejection.Location, 80)}: {TerminalText.Safe(rejection.Reason, 300)}");
            }

            rejected += rejections.Count;
        }

        return set;
    }
}
