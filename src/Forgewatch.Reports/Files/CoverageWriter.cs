using System.Text.Json;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;

namespace Forgewatch.Reports.Files;

/// <summary>
/// Writes <c>coverage.json</c>: per tenant, which log streams were seen, how many records, and the time
/// spans they cover; and which of the streams that detections rely on were not seen at all
/// (documented in docs/formats.md).
/// </summary>
public static class CoverageWriter
{
    public const string FileName = "coverage.json";

    /// <summary>The streams a forged-token investigation needs; listed as missing when absent.</summary>
    private static readonly LogKind[] Essential = [LogKind.UalMailAccess, LogKind.EntraInteractiveSignIn, LogKind.EntraNonInteractiveSignIn];

    public static void Write(string directory, CoverageMap coverage)
    {
        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Create, FileAccess.Write);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteNumber("gap_tolerance_hours", CoverageMap.DefaultGapTolerance.TotalHours);
        writer.WriteStartArray("tenants");
        foreach (string tenant in coverage.Tenants)
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", tenant);
            writer.WriteStartArray("logs");
            var seen = new HashSet<LogKind>();
            foreach ((LogKind log, StreamCoverage streamCoverage) in coverage.StreamsOf(tenant))
            {
                seen.Add(log);
                writer.WriteStartObject();
                writer.WriteString("log", log.Name());
                writer.WriteNumber("records", streamCoverage.Records);
                writer.WriteString("first", streamCoverage.First);
                writer.WriteString("last", streamCoverage.Last);
                writer.WriteStartArray("spans");
                foreach ((DateTime from, DateTime to) in streamCoverage.Spans(CoverageMap.DefaultGapTolerance))
                {
                    writer.WriteStartObject();
                    writer.WriteString("from", from);
                    writer.WriteString("to", to);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("missing");
            foreach (LogKind log in Essential.Where(l => !seen.Contains(l)))
            {
                writer.WriteStringValue(log.Name());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
