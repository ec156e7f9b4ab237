namespace Forgewatch.Sources.Framing;

/// <summary>A row of a CSV chunk as <see cref="CsvRowReader"/> read it.</summary>
/// <param name="Lines">Line ends in the row (one, more when quoted cells hold line ends, none for a last row without one).</param>
/// <param name="Blank">The row is an empty line.</param>
/// <param name="HasAuditData">The row reaches the <c>AuditData</c> column; its text is in <see cref="CsvRowReader.Cell"/>.</param>
/// <param name="CutShort">The data ends inside a quoted cell of this row.</param>
internal readonly record struct CsvRow(int Lines, bool Blank, bool HasAuditData, bool CutShort);

/// <summary>
/// Reads the rows of a chunk that <see cref="CsvRowsFramer"/> cut at row ends, and copies each row's
/// <c>AuditData</c> cell, unquoted, into a buffer of its own, from which the record is parsed. Other cells
/// are only stepped over. One per worker; the cell is valid until the next row is read.
/// </summary>
internal sealed class CsvRowReader
{
    private byte[] _cell = new byte[64 * 1024];
    private int _cellLength;

    /// <summary>The buffer holding the last row's <c>AuditData</c> text, from index 0.</summary>
    public byte[] CellBuffer => _cell;

    /// <summary>The last row's <c>AuditData</c> text.</summary>
    public ReadOnlySpan<byte> Cell => _cell.AsSpan(0, _cellLength);

    /// <summary>Reads the row at <paramref name="position"/> and moves past it.</summary>
    public CsvRow Read(ReadOnlySpan<byte> data, ref int position, CsvLayout layout)
    {
        int start = position;
        int room = data.Length - start + CsvCells.CopySlack;
        if (_cell.Length < room)
        {
            _cell = new byte[Math.Max(room, _cell.Length * 2)];
        }

        _cellLength = 0;
        bool hasAuditData = false;
        int column = 0;
        CellEnd end;
        do
        {
            if (column == layout.AuditDataColumn)
            {
                end = CsvCells.Read(data, ref position, layout.Separator, _cell, out _cellLength);
                hasAuditData = true;
            }
            else
            {
                end = CsvCells.Read(data, ref position, layout.Separator, default, out _);
            }

            column++;
        }
        while (end == CellEnd.Separator);

        ReadOnlySpan<byte> row = data[start..position];
        bool blank = column == 1 && row.Trim("\r\n"u8).IsEmpty;
        return new CsvRow(row.Count((byte)'\n'), blank, hasAuditData, end == CellEnd.InsideQuotes);
    }
}
