using System.Buffers;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// A run of raw records handed from a file's framer to a parsing worker. The buffer is rented and
/// owned by the chunk until the worker returns it. Either the buffer is JSON Lines (the worker finds the
/// lines) or <see cref="Records"/> lists each record's place.
/// </summary>
internal sealed class RecordChunk
{
    public RecordChunk(string source, byte[] buffer, int length, Container container)
    {
        Source = source;
        Buffer = buffer;
        Length = length;
        Container = container;
    }

    public string Source { get; }

    public byte[] Buffer { get; }

    public int Length { get; }

    public Container Container { get; }

    /// <summary>For CSV rows (<see cref="CsvRowsFramer"/>): the export's layout; the worker reads the rows.</summary>
    public CsvLayout? Csv { get; init; }

    /// <summary>For JSON Lines and CSV rows: the line number of the chunk's first byte.</summary>
    public long FirstLine { get; init; }

    /// <summary>For JSON Lines and CSV rows: the chunk holds the end of the content and its last line has no
    /// line end, so a last record that is not whole means the file was cut short.</summary>
    public bool EndsUnterminated { get; init; }

    /// <summary>Offset of the chunk's first byte in the decompressed content.</summary>
    public long BaseOffset { get; init; }

    /// <summary>For framed containers: where each record is. Null for JSON Lines and CSV rows.</summary>
    public List<RecordSpan>? Records { get; init; }

    /// <summary>Rejections the framer found while cutting this chunk (CSV rows, oversized records...).</summary>
    public List<Rejection>? Rejections { get; init; }

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>A record inside a chunk: its bytes and its position in the file.</summary>
internal readonly record struct RecordSpan(int Start, int Length, long Line, long ByteOffset, Container Container);
