using System.Text.Json;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Engine;
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
    internal static readonly LogKind[] Essential = [LogKind.UalMailAccess, LogKind.EntraInteractiveSignIn, LogKind.EntraNonInteractiveSignIn];

    public static void Write(string directory, CoverageMap coverage, EvaluationLog? evaluation = null)
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
            WriteEvaluation(writer, evaluation, tenant);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Per detection: records evaluated, and those not evaluated with the reason and time span.</summary>
    private static void WriteEvaluation(Utf8JsonWriter writer, EvaluationLog? evaluation, string tenant)
    {
        if (evaluation is null)
        {
            return;
        }

        writer.WriteStartArray("detections");
        foreach (var entry in evaluation.Entries.Where(e => string.Equals(e.Tenant, tenant, StringComparison.OrdinalIgnoreCase)))
        {
            writer.WriteStartObject();
            writer.WriteString("detection", entry.Detection);
            writer.WriteNumber("evaluated", entry.Evaluated);
            writer.WriteStartArray("not_evaluated");
            foreach ((string reason, long records, DateTime first, DateTime last) in entry.NotEvaluated)
            {
                writer.WriteStartObject();
                writer.WriteString("reason", reason);
                writer.WriteNumber("records", records);
                writer.WriteString("first", first);
                writer.WriteString("last", last);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
