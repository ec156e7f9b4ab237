using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>Which log streams cover which times, per tenant: a detection that joins two streams asks before
/// concluding that something is missing from one of them.</summary>
public interface ILogCoverage
{
    /// <summary>True when <paramref name="log"/> of <paramref name="tenant"/> covers the whole of
    /// [<paramref name="start"/>, <paramref name="until"/>].</summary>
    bool Covers(string tenant, LogKind log, DateTime start, DateTime until);
}
