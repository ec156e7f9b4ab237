using Forgewatch.Core.Alerts;

namespace Forgewatch.Cli.Scan;

/// <summary>What <c>forgewatch scan</c> was asked to do.</summary>
internal sealed record ScanOptions
{
    public required IReadOnlyList<string> Paths { get; init; }

    public required string OutDirectory { get; init; }

    /// <summary>User indicator files (CSV or STIX 2.1 JSON), added to the built-in Storm-0558 set.</summary>
    public IReadOnlyList<string> IndicatorFiles { get; init; } = [];

    /// <summary>Events before this time (UTC) are not examined.</summary>
    public DateTime? Since { get; init; }

    /// <summary>Events at or after this time (UTC) are not examined.</summary>
    public DateTime? Until { get; init; }

    /// <summary>Only these tenants are examined (all when empty).</summary>
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>Exit 1 when an incident at or above this severity exists.</summary>
    public Severity? FailOn { get; init; }

    /// <summary>Application ids added to the first-party allowlist.</summary>
    public IReadOnlyList<string> AllowedApps { get; init; } = [];
}
