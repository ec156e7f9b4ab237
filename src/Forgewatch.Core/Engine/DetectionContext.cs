using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Engine;

/// <summary>What detections share: their parameters, the indicators, log coverage, where findings go, and
/// the count of what could and could not be evaluated.</summary>
public sealed class DetectionContext(DetectionOptions options, IndicatorSet indicators, ILogCoverage coverage)
{
    public DetectionOptions Options { get; } = options;

    public IndicatorSet Indicators { get; } = indicators;

    public ILogCoverage Coverage { get; } = coverage;

    public AlertCollector Alerts { get; } = new(options.AlertMergeGap);

    public EvaluationLog Evaluation { get; } = new();

    /// <summary>Raises a finding of <paramref name="detection"/>.</summary>
    public Alert Raise(IDetection detection, in Finding finding) => Alerts.Raise(detection.Id, detection.Title, finding);

    /// <summary>True when <paramref name="appId"/> is on the first-party allowlist.</summary>
    public bool IsAllowedApp(string? appId) => appId is not null && Options.AllowedApps.Contains(appId);
}
