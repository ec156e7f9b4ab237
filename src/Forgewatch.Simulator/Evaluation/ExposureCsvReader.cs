using nietras.SeparatedValues;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>One message an incident's actor read, from <c>exposure.csv</c>, cells read back as logged.</summary>
internal readonly record struct ExposedMessage(string Incident, string Mailbox, string InternetMessageId);

/// <summary>
/// Reads <c>exposure.csv</c> (docs/formats.md, "exposure.csv") with Sep, RFC 4180 quoting undone, a row at
/// a time. Columns are found by header name, so added columns do not matter. Rows with no
/// <c>internet_message_id</c> (Sync rows, folders listed without messages) name no message and are skipped.
/// </summary>
internal static class ExposureCsvReader
{
    public const string FileName = "exposure.csv";

    public static void Read(string path, Action<ExposedMessage> message)
    {
        using StreamReader text = InputFiles.OpenText(path);
        try
        {
            using SepReader reader = Sep.New(',').Reader(o => o with { Unescape = true }).From(text);
            int incident = Column(reader, path, "incident");
            int mailbox = Column(reader, path, "mailbox");
            int messageId = Column(reader, path, "internet_message_id");
            foreach (SepReader.Row row in reader)
            {
                string id = SpreadsheetCell.Value(row[messageId].ToString());
                if (id.Length > 0)
                {
                    message(new ExposedMessage(SpreadsheetCell.Value(row[incident].ToString()), SpreadsheetCell.Value(row[mailbox].ToString()), id));
                }
            }
        }
        catch (InvalidDataException e)
        {
            // Sep's message names the line (a row with another number of columns than the header).
            throw new EvaluationInputException(path, null, "not a valid exposure.csv: " + e.Message.ReplaceLineEndings(" "), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EvaluationInputException(path, null, "cannot be read: " + e.Message, e);
        }
    }

    private static int Column(SepReader reader, string path, string name) =>
        reader.Header.TryIndexOf(name, out int index)
            ? index
            : throw new EvaluationInputException(path, 1, $"the header has no '{name}' column (is this a forgewatch exposure.csv?).");
}
