using System.Text.Json;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Reads a JSON Lines scan output (<c>alerts.jsonl</c>, <c>incidents.jsonl</c>) one object at a time, so a
/// large file is never held whole. Blank lines are skipped; any other line that is not a JSON object, or
/// that <c>parse</c> rejects, stops the evaluation with the file and line named: a score computed from
/// a damaged output would look valid and be wrong.
/// </summary>
internal static class JsonLinesReader
{
    public static void Read(string path, Action<JsonElement> parse)
    {
        using StreamReader reader = InputFiles.OpenText(path);
        long lineNumber = 0;
        while (InputFiles.Read(path, reader.ReadLine) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new EvaluationInputException(path, lineNumber, "not valid JSON: " + e.Message, e);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new EvaluationInputException(path, lineNumber, "not a JSON object.");
                }

                try
                {
                    parse(document.RootElement);
                }
                catch (InvalidDataException e)
                {
                    throw new EvaluationInputException(path, lineNumber, e.Message, e);
                }
            }
        }
    }
}
