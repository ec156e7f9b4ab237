using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// The <c>purview-csv</c> shape: the unified audit log as a Microsoft Purview audit search export,
/// <c>ual/audit-export.csv</c> (UTF-8 with a byte order mark, CRLF, RFC 4180 quoting, the record's JSON in
/// <c>AuditData</c>, as Purview writes it), and sign-ins as JSON Lines in <c>signins.jsonl</c>, since Purview
/// does not export Entra sign-ins and JSON Lines is how they are then collected. A malformed UAL record keeps
/// its row, its cut JSON in <c>AuditData</c>: the reader rejects that row and reads on.
/// </summary>
internal sealed class PurviewCsvSink(string directory) : ISimulationSink
{
    public const string UalFile = "ual/audit-export.csv";
    public const string SignInFile = JsonLinesSink.SignInFile;

    private readonly FileStream _ual = CreateExport(Path.Combine(directory, UalFile));
    private readonly FileStream _signIns = JsonLinesSink.Create(Path.Combine(directory, SignInFile));

    /// <summary>Purview's header, after the UTF-8 byte order mark it writes.</summary>
    private static ReadOnlySpan<byte> Header =>
        "\uFEFFRecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n"u8;

    public string Shape => "purview-csv";

    public void Write(SimRecord record)
    {
        if (record.Log == SimLog.SignIns)
        {
            _signIns.Write(record.Json.Span);
            _signIns.WriteByte((byte)'\n');
            return;
        }

        ReadOnlySpan<byte> auditData = record.Malformed ? WholeCharacters(record.Json.Span) : record.Json.Span;
        PurviewColumns columns = PurviewColumns.Read(auditData);
        WriteCell(record.TextId);
        WriteCell(record.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        WriteCell(columns.RecordType);
        WriteCell(columns.Operation);
        WriteCell(columns.UserId);
        WriteCell(auditData);

        // The administrative units the record concerns: none in a simulated tenant.
        _ual.Write(",\r\n"u8);
    }

    public IReadOnlyList<string> Complete()
    {
        _ual.Flush();
        _signIns.Flush();
        return [UalFile, SignInFile];
    }

    public void Dispose()
    {
        _ual.Dispose();
        _signIns.Dispose();
    }

    /// <summary>A cut record may end inside a character. Readers stop a CSV file at the first byte that is
    /// not UTF-8, so the cut is moved back to a character boundary: the record stays malformed (a JSON text
    /// cut short) and only its row is rejected.</summary>
    internal static ReadOnlySpan<byte> WholeCharacters(ReadOnlySpan<byte> json)
    {
        // A valid text cut anywhere is valid again once at most three bytes of its last character go.
        for (int drop = 0; drop < 4 && drop <= json.Length; drop++)
        {
            if (Utf8.IsValid(json[..^drop]))
            {
                return json[..^drop];
            }
        }

        return json;
    }

    private static FileStream CreateExport(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream file = JsonLinesSink.Create(path);
        file.Write(Header);
        return file;
    }

    private void WriteCell(string? value) => WriteCell(Encoding.UTF8.GetBytes(value ?? string.Empty));

    /// <summary>Writes a cell and the comma after it, quoted (quotes doubled) only when it holds a comma,
    /// quote or line end, as Purview does.</summary>
    private void WriteCell(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny(",\"\r\n"u8) < 0)
        {
            _ual.Write(value);
        }
        else
        {
            _ual.WriteByte((byte)'"');
            int quote;
            while ((quote = value.IndexOf((byte)'"')) >= 0)
            {
                _ual.Write(value[..(quote + 1)]);
                _ual.WriteByte((byte)'"');
                value = value[(quote + 1)..];
            }

            _ual.Write(value);
            _ual.WriteByte((byte)'"');
        }

        _ual.WriteByte((byte)',');
    }
}
