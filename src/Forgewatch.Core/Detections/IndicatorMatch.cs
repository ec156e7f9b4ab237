using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1003: a record's client address, application or user agent is a known indicator (the Storm-0558 set
/// Microsoft published, and <c>--ioc</c> files). Indicators age and some are shared with benign traffic, so
/// the severity depends on what matched and on what the record did (docs/detections/FW1003.md). Token key
/// ids cannot be matched here: audit records carry none (<c>forgewatch token</c> checks them).
/// </summary>
public sealed class IndicatorMatch : IDetection, ISnapshotState
{
    public const string NoKeyIds = "key-id indicators: audit records carry no token key id";

    private string? _lastUserAgent;
    private Indicator? _lastUserAgentMatch;

    public string Id => "FW1003";

    public string Title => "Known indicator of compromise";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        IndicatorSet indicators = context.Indicators;
        if (indicators.Count == 0)
        {
            return;
        }

        context.Evaluation.Evaluated(Id, tenant);
        if (indicators.HasKeyIds)
        {
            context.Evaluation.NotEvaluated(Id, tenant, NoKeyIds, e.Time);
        }

        Indicator? ip = indicators.MatchIp(e.ClientIp);
        Indicator? app = indicators.MatchAppId(e.AppId) ?? indicators.MatchAppId(e.ClientAppId);
        Indicator? agent = MatchUserAgent(e.UserAgent, indicators);
        Indicator? strongest = ip ?? app ?? (agent is { Weak: false } ? agent : null);
        if (strongest is null)
        {
            return;
        }

        bool consequential = e is MailAccessEvent or AdminOperationEvent || EventKeys.IsSuccessfulSignIn(e);
        bool networkOrApp = ip is not null || app is not null;
        Severity severity = !networkOrApp ? Severity.Low : consequential ? Severity.High : Severity.Medium;
        var matched = new List<string>(3);
        var details = new Dictionary<string, string>();
        foreach ((string name, Indicator? indicator) in (ReadOnlySpan<(string, Indicator?)>)[("ip", ip), ("app", app), ("user_agent", agent)])
        {
            if (indicator is not null)
            {
                matched.Add($"{indicator.Value} ({indicator.Description ?? indicator.Source})");
                details[$"indicator_{name}"] = indicator.Value;
                details[$"indicator_{name}_source"] = indicator.Source;
            }
        }

        string mailbox = e is MailAccessEvent access ? EventKeys.Mailbox(access) ?? string.Empty : string.Empty;
        context.Raise(this, new Finding
        {
            Evidence = e,
            Tenant = tenant,
            Group = string.Concat(strongest.Value, "|", e.UserId),
            Mailbox = mailbox.Length > 0 ? mailbox : null,
            Severity = severity,
            Confidence = networkOrApp ? Confidence.Medium : Confidence.Low,
            Reason = $"{e.Operation} by {e.UserId ?? "(no user)"} matched {string.Join("; ", matched)}.",
            // An address indicator accuses the address: the session and token of the record may be a real
            // user's, replayed from there, and would make that user's own reads part of the incident.
            Actor = ip is not null ? ActorScope.Ip : ActorScope.Client,
            ActorApp = app is null ? null : app.Value,
            Details = details,
        });
    }

    /// <summary>Nothing to write: the last user agent's match is a cache, made again from the indicators.</summary>
    public void WriteState(SnapshotWriter writer)
    {
    }

    public void ReadState(SnapshotReader reader)
    {
    }

    /// <summary>User agents repeat (often as the same string instance): the last answer is kept.</summary>
    private Indicator? MatchUserAgent(string? userAgent, IndicatorSet indicators)
    {
        if (!string.Equals(userAgent, _lastUserAgent, StringComparison.Ordinal))
        {
            _lastUserAgent = userAgent;
            _lastUserAgentMatch = indicators.MatchUserAgent(userAgent);
        }

        return _lastUserAgentMatch;
    }
}
