using System.Text.Json;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Loads a <c>truth.json</c> for scoring: refuses another <c>format</c> before reading the rest (another
/// version may mean other things by the same names) and checks what the scoring relies on, so a damaged
/// file is an error naming it, never a score of zero.
/// </summary>
internal static class TruthLoader
{
    public static TruthFile Load(string path)
    {
        using StreamReader reader = InputFiles.OpenText(path);
        string json = InputFiles.Read(path, reader.ReadToEnd);
        TruthFile? truth;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationInputException(path, null, "not a truth file: the JSON is not an object.");
            }

            string? format = root.TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (!string.Equals(format, TruthFile.CurrentFormat, StringComparison.Ordinal))
            {
                throw new EvaluationInputException(path, null, format is null
                    ? $"not a truth file: it has no \"format\" (expected \"{TruthFile.CurrentFormat}\")."
                    : $"its format is \"{format}\"; this forgewatch reads only \"{TruthFile.CurrentFormat}\".");
            }

            truth = root.Deserialize<TruthFile>(TruthFile.SerializerOptions);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            throw new EvaluationInputException(path, null, $"not valid truth JSON{where}: {e.Message}", e);
        }

        if (truth is null)
        {
            throw new EvaluationInputException(path, null, "not a truth file: it is null.");
        }

        Check(path, truth);
        return truth;
    }

    /// <summary>Nulls where the model promises lists (a hand-edited file, another writer) would otherwise
    /// surface as a crash in the middle of scoring.</summary>
    private static void Check(string path, TruthFile truth)
    {
        if (truth.Attacks is null)
        {
            throw new EvaluationInputException(path, null, "\"attacks\" is null.");
        }

        for (int i = 0; i < truth.Attacks.Count; i++)
        {
            TruthAttack? attack = truth.Attacks[i];
            string name = $"attack {i + 1}" + (attack is { Id.Length: > 0 } ? $" ({attack.Id})" : string.Empty);
            if (attack is null)
            {
                throw new EvaluationInputException(path, null, $"{name} is null.");
            }

            if (string.IsNullOrEmpty(attack.Playbook))
            {
                throw new EvaluationInputException(path, null, $"{name} has no \"playbook\".");
            }

            if (attack.Mailboxes is null || attack.Mailboxes.Any(m => m is null))
            {
                throw new EvaluationInputException(path, null, $"{name}: \"mailboxes\" is not a list of strings.");
            }

            if (attack.MaliciousRecordIds is null || attack.MaliciousRecordIds.Any(r => r is null))
            {
                throw new EvaluationInputException(path, null, $"{name}: \"malicious_record_ids\" is not a list of strings.");
            }

            if (attack.Exposed is null || attack.Exposed.Values.Any(v => v is null || v.Any(m => m is null)))
            {
                throw new EvaluationInputException(path, null, $"{name}: \"exposed\" is not an object of string lists.");
            }
        }
    }
}
