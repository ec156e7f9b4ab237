using System.Diagnostics;
using System.Globalization;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Benchmarks;

/// <summary>
/// <c>stream FILE [--batch N] [--rounds N]</c>: what <c>forgewatch serve</c>'s detections cost per record, against
/// <c>scan</c>'s detections on the same records, in one process, one thread. The file's records (read first,
/// not timed) are stored in a temporary SQLite store in batches of N, in the file's order, as pushed batches
/// are; after each batch the tenant's stream takes it in (from memory, as the server hands it over) and
/// concludes its incidents, as a detection run of the server does. Timed: those runs only, not the storing.
/// The baseline is scan's investigation (spool, detections, conclusions) of the same records, timed alone
/// (wall time: scan runs its detections on both cores when it has two; the stream runs on one thread).
/// Rounds alternate baseline and stream, so both see the same machine. The history reads for the exposure
/// run at once here (as <c>ExposureRescanSeconds</c> 0 does), so their cost is in the stream's time.
/// </summary>
internal static class StreamDetections
{
    public static async Task RunAsync(string file, int batchSize, int rounds, TextWriter output)
    {
        var events = new List<AuditEvent>();
        await new LogReader().ReadAsync([new InputFile(file, new FileInfo(file).Length)], batch => events.AddRange(batch.Events)).ConfigureAwait(false);

        // The reader delivers its chunks as they are parsed; the batches are cut in the file's order.
        events.Sort((a, b) => a.Origin.ByteOffset.CompareTo(b.Origin.ByteOffset));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{events.Count:N0} records from {file}, batches of {batchSize:N0}"));
        for (int round = 1; round <= rounds; round++)
        {
            (double scanSeconds, int scanIncidents) = Scan(events);
            (double streamSeconds, int streamIncidents, long rewinds, long toStart) = Stream(events, batchSize);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {round}: scan's detections (baseline) {scanSeconds:F2} s ({events.Count / scanSeconds:N0} records/s, {scanIncidents} incidents); serve's detections {streamSeconds:F2} s ({events.Count / streamSeconds:N0} records/s, {streamIncidents} incidents, {rewinds} rewinds, {toStart} to the start); serve / scan time {streamSeconds / scanSeconds:F2}"));
        }
    }

    private static (double Seconds, int Incidents) Scan(List<AuditEvent> events)
    {
        Collect();
        var clock = Stopwatch.StartNew();
        using var spool = new EventSpool();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in events)
        {
            coverage.Add(e);
            spool.Add(e);
        }

        InvestigationResult result = Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage));
        return (clock.Elapsed.TotalSeconds, result.Incidents.Count);
    }

    private static (double Seconds, int Incidents, long Rewinds, long RewindsToStart) Stream(List<AuditEvent> events, int batchSize)
    {
        string directory = Path.Combine(Path.GetTempPath(), "forgewatch-bench-stream", Guid.NewGuid().ToString("N"));
        try
        {
            using SqliteStore store = SqliteStore.Open(directory);
            store.AddTenant(new Tenant("bench", ["soc@bench.example"], null, DateTimeOffset.UtcNow), Guid.NewGuid().ToString("N"));
            var committed = new CommittedBatches();
            StreamSettings settings = StreamSettings.Default with { ExposureRescan = TimeSpan.Zero };
            Collect();
            TenantDetection stream = TenantDetection.Open(store, "bench", settings);
            var clock = new Stopwatch();
            int incidents = 0;
            foreach (AuditEvent[] batch in events.Chunk(batchSize))
            {
                StoredBatch stored = store.StoreEvents("bench", batch, DateTimeOffset.UtcNow);
                committed.Add("bench", stored.BatchId, stored.New);
                clock.Start();
                stream.CatchUp(null, committed);
                incidents = stream.Incidents().Count;
                clock.Stop();
            }

            return (clock.Elapsed.TotalSeconds, incidents, stream.Rewinds, stream.RewindsToStart);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
