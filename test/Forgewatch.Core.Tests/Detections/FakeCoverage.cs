using Forgewatch.Core.Engine;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Tests.Detections;

/// <summary>Log coverage stated by the test: the listed streams cover every tenant from <see cref="From"/> on.</summary>
internal sealed class FakeCoverage(params LogKind[] logs) : ILogCoverage
{
    /// <summary>Both Entra sign-in streams, at all times.</summary>
    public static FakeCoverage SignIns => new(LogKind.EntraInteractiveSignIn, LogKind.EntraNonInteractiveSignIn);

    /// <summary>No stream at all.</summary>
    public static FakeCoverage Nothing => new();

    /// <summary>Coverage starts here; earlier times are not covered.</summary>
    public DateTime From { get; init; } = DateTime.MinValue;

    public bool Covers(string tenant, LogKind log, DateTime start, DateTime until) => logs.Contains(log) && start >= From;
}
