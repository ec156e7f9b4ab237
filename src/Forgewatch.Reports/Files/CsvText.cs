using System.Text;

namespace Forgewatch.Reports.Files;

/// <summary>
/// Makes a log-derived value safe as one CSV cell: a value a spreadsheet would run as a formula (starting
/// with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets a leading apostrophe; control
/// characters and the other characters <see cref="LogText.IsUnsafe"/> names become <c>\uXXXX</c> escapes, so
/// no cell spans lines or reorders its text; the cell is quoted as RFC 4180 says.
/// </summary>
public static class CsvText
{
    /// <summary>True when a cell starting with <paramref name="first"/> gets the leading apostrophe: a
    /// spreadsheet would run it as a formula (full-width forms included).</summary>
    public static bool StartsFormula(char first) =>
        first is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var cell = new StringBuilder(value.Length + 4);
        if (StartsFormula(value[0]))
        {
            cell.Append('\'');
        }

        foreach (char c in value)
        {
            LogText.AppendEscaped(cell, c);
        }

        bool quote = cell.Length > 0 && (cell.ToString().AsSpan().IndexOfAny(",\"") >= 0 || cell[0] == ' ' || cell[^1] == ' ');
        return quote ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell.ToString();
    }
}
