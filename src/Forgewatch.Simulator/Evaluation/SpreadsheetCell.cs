using System.Globalization;
using System.Text;
using Forgewatch.Reports;
using Forgewatch.Reports.Files;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Reads back a log-text cell of <c>exposure.csv</c> as the scan saw it (docs/formats.md, "exposure.csv"):
/// the writer (<see cref="CsvText"/>) put a <c>'</c> before a value a spreadsheet would run as a formula
/// and wrote unsafe characters as <c>\uXXXX</c>. Both are undone, by the writer's own rules, so that a
/// message id compares equal to the truth's.
/// </summary>
internal static class SpreadsheetCell
{
    public static string Value(string cell)
    {
        if (cell.Length == 0)
        {
            return cell;
        }

        if (cell[0] == '\'')
        {
            // Strip only the apostrophe the writer adds; one the value itself starts with is kept.
            string rest = Unescape(cell.AsSpan(1));
            if (rest.Length > 0 && CsvText.StartsFormula(rest[0]))
            {
                return rest;
            }
        }

        return Unescape(cell);
    }


    /// <summary>Decodes the escapes of the characters the writer escapes (<see cref="LogText.IsUnsafe"/>) only:
    /// a value that itself holds, say, <c>\u0041</c> is left as it is.</summary>
    private static string Unescape(ReadOnlySpan<char> cell)
    {
        int first = cell.IndexOf("\\u", StringComparison.Ordinal);
        if (first < 0)
        {
            return cell.ToString();
        }

        var builder = new StringBuilder(cell.Length);
        builder.Append(cell[..first]);
        for (int i = first; i < cell.Length; i++)
        {
            if (cell[i] == '\\' && i + 6 <= cell.Length && cell[i + 1] == 'u'
                && ushort.TryParse(cell.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code)
                && LogText.IsUnsafe((char)code))
            {
                builder.Append((char)code);
                i += 5;
            }
            else
            {
                builder.Append(cell[i]);
            }
        }

        return builder.ToString();
    }
}
