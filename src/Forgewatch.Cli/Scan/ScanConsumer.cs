using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;
using Forgewatch.Core.Scanning;
using Forgewatch.Reports.Files;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Cli.Scan;

/// <summary>
/// The single consumer of a scan's batches: drops repeated records, counts what was read, tracks coverage
/// and writes every rejection out as it arrives. Called from one thread at a time (see <see cref="LogReader"/>).
/// </summary>
internal sealed class ScanConsumer(RejectionsWriter rejections)
{
    private readonly RecordDeduplicator _deduplicator = new();

    public ScanSummary Summary { get; } = new();

    public CoverageMap Coverage { get; } = new();

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
            Coverage.Add(e);
        }

        foreach (Rejection r in batch.Rejections)
        {
            Summary.AddRejected(r.FileLevel);
            HadIoError |= r.Code == Sources.Normalization.RejectionCodes.FileUnreadable;
            rejections.Write(r);
        }
    }
}
