using System.Buffers;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// The framing loop that JSON Lines and CSV rows share: content is read into a buffer, the buffer is cut
/// after the last record that ends in it, that part is posted as a chunk for the workers to parse, and the
/// rest is carried into the next buffer. A record longer than the record limit is rejected and skipped.
/// Subclasses say where records end and what their chunks carry.
/// </summary>
internal abstract class RecordBoundaryFramer(string source, int chunkBytes, int maxRecordBytes)
{
    protected string Source => source;

    protected int ChunkBytes => chunkBytes;

    protected int MaxRecordBytes => maxRecordBytes;

    /// <summary>What a record is called in messages ("line", "row").</summary>
    protected abstract string RecordName { get; }

    /// <summary>The container of this framer's chunks.</summary>
    protected abstract Container Container { get; }

    /// <summary>After the last record end in <paramref name="data"/> (which starts at a record's start), or 0
    /// when no record ends in it.</summary>
    protected abstract int LastRecordEnd(ReadOnlySpan<byte> data);

    /// <summary>Reads past the end of the record that fills <paramref name="buffer"/>[0..<paramref name="length"/>)
    /// and returns what followed it, moved to the buffer's start, with its offset and line.</summary>
    protected abstract (int Length, long Offset, long Line) SkipRestOfRecord(Stream content, byte[] buffer, int length, long offset, long line);

    /// <summary>A chunk of whole records (the last one, at the end of the content, may lack its line end).</summary>
    protected abstract RecordChunk NewChunk(byte[] buffer, int length, long line, long offset, bool endsUnterminated);

    /// <summary>
    /// Frames the content from <paramref name="buffer"/>[0..<paramref name="length"/>) on, which starts at a
    /// record's start, at <paramref name="line"/> and <paramref name="offset"/>. The buffer is handed on with
    /// the chunks; <paramref name="buffer"/> is left null or holding one the caller must return.
    /// </summary>
    protected void FrameRecords(Stream content, IChunkTarget target, ref byte[]? buffer, int length, bool ended, long line, long offset, CancellationToken cancellationToken)
    {
        while (buffer is not null)
        {
            if (!ended)
            {
                length += content.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
                ended = length < buffer.Length;
            }

            if (ended)
            {
                // The end of the content: the last record needs no line end.
                if (length > 0)
                {
                    target.Post(NewChunk(buffer, length, line, offset, endsUnterminated: buffer[length - 1] != '\n'), cancellationToken);
                    buffer = null;
                }

                return;
            }

            int cut = LastRecordEnd(buffer.AsSpan(0, length));
            if (cut == 0)
            {
                // No record ends in a full buffer: one record is longer than the buffer.
                if (length < maxRecordBytes)
                {
                    buffer = Grow(buffer, length);
                    continue;
                }

                var rejection = new Rejection(source, line, offset, RejectionCodes.RecordTooLarge, $"The {RecordName} is longer than the {maxRecordBytes}-byte record limit; skipped.", Rejection.ExcerptOf(buffer.AsSpan(0, length)));
                target.Post(new RecordChunk(source, ArrayPool<byte>.Shared.Rent(1), 0, Container) { Records = [], Rejections = [rejection] }, cancellationToken);
                (length, offset, line) = SkipRestOfRecord(content, buffer, length, offset, line);
                continue;
            }

            int rest = length - cut;
            byte[] next = ArrayPool<byte>.Shared.Rent(rest + chunkBytes);
            buffer.AsSpan(cut, rest).CopyTo(next);
            long lines = buffer.AsSpan(0, cut).Count((byte)'\n');
            target.Post(NewChunk(buffer, cut, line, offset, endsUnterminated: false), cancellationToken);
            line += lines;
            offset += cut;
            buffer = next;
            length = rest;
        }
    }

    /// <summary>A buffer twice as large holding the same first <paramref name="length"/> bytes; the old one is returned.</summary>
    protected static byte[] Grow(byte[] buffer, int length)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
