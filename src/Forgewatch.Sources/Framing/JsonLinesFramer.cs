using System.Buffers;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Cuts JSON Lines content into chunks at line ends without parsing it: the workers find the lines,
/// so a file is parsed by every core. A line longer than the record limit is rejected and skipped.
/// </summary>
internal sealed class JsonLinesFramer(string source, int chunkBytes, int maxRecordBytes)
    : RecordBoundaryFramer(source, chunkBytes, maxRecordBytes)
{
    protected override string RecordName => "line";

    protected override Container Container => Container.JsonLines;

    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            FrameRecords(content, target, ref buffer, length: 0, ended: false, line: 1, offset: 0, cancellationToken);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    protected override int LastRecordEnd(ReadOnlySpan<byte> data) => data.LastIndexOf((byte)'\n') + 1;

    protected override RecordChunk NewChunk(byte[] buffer, int length, long line, long offset, bool endsUnterminated) =>
        new(Source, buffer, length, Container.JsonLines) { FirstLine = line, BaseOffset = offset, EndsUnterminated = endsUnterminated };

    protected override (int Length, long Offset, long Line) SkipRestOfRecord(Stream content, byte[] buffer, int length, long offset, long line)
    {
        offset += length;
        while (true)
        {
            int read = content.Read(buffer);
            if (read == 0)
            {
                return (0, offset, line + 1);
            }

            int newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int rest = read - newline - 1;
                buffer.AsSpan(newline + 1, rest).CopyTo(buffer);
                return (rest, offset + newline + 1, line + 1);
            }

            offset += read;
        }
    }
}
