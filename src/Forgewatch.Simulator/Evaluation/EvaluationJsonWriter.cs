using System.Text.Encodings.Web;
using System.Text.Json;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Writes <c>evaluation.json</c> (docs/formats.md, "evaluation.json"). The <c>playbooks</c> object and the
/// four metric names in it are an interface scripts rely on; other members may be added, never renamed.
/// </summary>
public static class EvaluationJsonWriter
{
    public const string FileName = "evaluation.json";

    public const string Format = "forgewatch-evaluation/1";

    /// <summary>Writes <paramref name="evaluation"/> to <c>evaluation.json</c> in <paramref name="directory"/>
    /// and returns the file's path.</summary>
    public static string Write(string directory, ScanEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        string path = Path.Combine(directory, FileName);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Write(stream, evaluation);
        stream.WriteByte((byte)'\n');
        return path;
    }

    public static void Write(Stream stream, ScanEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        // Playbook names come from the truth file; the output is JSON, never HTML, so it stays readable.
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteStartObject("playbooks");
        foreach (PlaybookScore score in evaluation.Playbooks)
        {
            writer.WritePropertyName(score.Playbook);
            WriteScore(writer, score);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("overall");
        WriteScore(writer, evaluation.Overall);
        BenignScore benign = evaluation.Benign;
        writer.WriteStartObject("benign");
        writer.WriteNumber("incidents", benign.Incidents);
        writer.WriteNumber("false_incidents", benign.FalseIncidents);
        writer.WriteNumber("benign_mailbox_days", benign.BenignMailboxDays);
        writer.WriteNumber("false_incidents_per_1000_mailbox_days", benign.FalseIncidentsPer1000MailboxDays);
        writer.WriteStartArray("false_incident_ids");
        foreach (string id in benign.FalseIncidentIds)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNumber("false_incidents_per_1000_mailbox_days", benign.FalseIncidentsPer1000MailboxDays);
        writer.WriteEndObject();
    }

    private static void WriteScore(Utf8JsonWriter writer, PlaybookScore score)
    {
        writer.WriteStartObject();
        WriteNumberOrNull(writer, "recall", score.Recall);
        writer.WriteNumber("false_incidents_per_1000_mailbox_days", score.FalseIncidentsPer1000MailboxDays);
        WriteNumberOrNull(writer, "exposure_jaccard", score.ExposureJaccard);
        WriteNumberOrNull(writer, "first_alert_record_index_median", score.FirstAlertRecordIndexMedian);
        writer.WriteNumber("attacks", score.Attacks);
        writer.WriteNumber("attacked_mailboxes", score.AttackedMailboxes);
        writer.WriteNumber("detected_mailboxes", score.DetectedMailboxes);
        writer.WriteNumber("alerted_attacks", score.AlertedAttacks);
        writer.WriteNumber("undetected_attacks", score.UndetectedAttacks);
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
