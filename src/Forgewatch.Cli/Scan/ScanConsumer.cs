using Forgewatch.Core.Coverage;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Scanning;
using Forgewatch.Reports.Files;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Cli.Scan;

/// <summary>
/// The single consumer of a scan's batches: drops repeated records, counts what was read, tracks coverage,
/// writes every rejection out as it arrives, and keeps the events of the requested time range for the
/// detections, which need them in time order. Called from one thread at a time (see <see cref="BatchHandOff"/>).
/// </summary>
internal sealed class ScanConsumer(RejectionsWriter rejections, EventSpool events, DateTime? since, DateTime? until)
{
    private readonly RecordDeduplicator _deduplicator = new();

    public ScanSummary Summary { get; } = new();

    public CoverageMap Coverage { get; } = new() { NotBefore = since ?? DateTime.MinValue };

    /// <summary>The events to examine (inside <c>--since</c>/<c>--until</c>).</summary>
    public EventSpool Events { get; } = events;

    /// <summary>Distinct events outside <c>--since</c>/<c>--until</c>: read and counted, not examined.</summary>
    public long OutsideTimeRange { get; private set; }

    /// <summary>True when some file could not be opened or read (an I/O error, not bad data).</summary>
    public bool HadIoError { get; private set; }

    public void Accept(ReadBatch batch)
    {
        foreach (AuditEvent e in batch.Events)
        {
            if (!_deduplicator.IsFirst(e))
            {
                Summary.AddDuplicate();
                continue;
            }

            Summary.Add(e);
            if ((since is { } from && e.Time < from) || (until is { } to && e.Time >= to))
            {
                OutsideTimeRange++;
                continue;
            }

            // Coverage describes what the detections see: counted outside --since/--until, a record would
            // make the logs look complete where the detections have nothing to compare with.
            Coverage.Add(e);
            Events.Add(e);
        }

        foreach (Rejection r in batch.Rejections)
        {
            Summary.AddRejected(r.FileLevel);
            HadIoError |= r.Code == Sources.Normalization.RejectionCodes.FileUnreadable;
            rejections.Write(r);
        }
    }
}
