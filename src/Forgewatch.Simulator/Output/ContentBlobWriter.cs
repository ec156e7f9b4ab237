using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// Writes UAL records as Office 365 Management Activity API content blobs: <c>ual/content-NNNNN.json</c>,
/// each one JSON array on one line, as the API returns it. A blob holds at most <see cref="MaxRecords"/>
/// records and one UTC day, so a blob never outgrows what a collector would have fetched at once.
/// Only the open blob's file buffer is in memory: records go straight to the file.
/// </summary>
internal sealed class ContentBlobWriter(OutputFiles files) : IDisposable
{
    public const int MaxRecords = 5_000;

    private FileStream? _blob;
    private int _records;
    private DateTime _day;
    private int _blobs;
    private int _malformed;

    public void Write(SimRecord record)
    {
        if (record.Malformed)
        {
            // Inside an array a broken record would break the whole blob, so it stands alone, like a
            // download cut short: one file, one rejection.
            files.WriteAll($"ual/content-malformed-{++_malformed:D5}.json", record.Json.Span);
            return;
        }

        if (_blob is null || _records == MaxRecords || record.Time.Date != _day)
        {
            Close();
            _blob = files.Create($"ual/content-{++_blobs:D5}.json");
            _blob.WriteByte((byte)'[');
            _records = 0;
            _day = record.Time.Date;
        }
        else
        {
            _blob.WriteByte((byte)',');
        }

        _blob.Write(record.Json.Span);
        _records++;
    }

    /// <summary>Ends the open blob.</summary>
    public void Complete() => Close();

    public void Dispose() => _blob?.Dispose();

    private void Close()
    {
        if (_blob is null)
        {
            return;
        }

        _blob.WriteByte((byte)']');
        _blob.Dispose();
        _blob = null;
    }
}
