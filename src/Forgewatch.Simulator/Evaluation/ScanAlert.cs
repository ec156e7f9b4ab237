using System.Text.Json;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>The members of an <c>alerts.jsonl</c> line that scoring uses (docs/formats.md, "alerts.jsonl").</summary>
internal sealed record ScanAlert(string Id, DateTime FirstSeen, IReadOnlyList<string> EvidenceIds)
{
    public const string FileName = "alerts.jsonl";

    public static ScanAlert Parse(JsonElement line) => new(
        JsonFields.String(line, "id"),
        JsonFields.Time(line, "first_seen"),
        JsonFields.Strings(line, "evidence_ids"));
}
