using System.Buffers;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Cuts JSON Lines content into chunks at line ends without parsing it: the workers find the lines,
/// so a file is parsed by every core. A line longer than the record limit is rejected and skipped.
/// </summary>
internal sealed class JsonLinesFramer(string source, int chunkBytes, int maxRecordBytes)
{
    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        int length = 0;
        long line = 1;
        long offset = 0;
        try
        {
            while (true)
            {
                int read = content.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
                length += read;
                if (length < buffer.Length)
                {
                    // End of content: the last line needs no line end.
                    if (length > 0)
                    {
                        bool unterminated = buffer[length - 1] != '\n';
                        target.Post(new RecordChunk(source, buffer, length, Container.JsonLines) { FirstLine = line, BaseOffset = offset, EndsUnterminated = unterminated }, cancellationToken);
                        buffer = null;
                    }

                    return;
                }

                int cut = buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
                if (cut == 0)
                {
                    // No line end in a full buffer: one line is longer than the buffer.
                    if (length < maxRecordBytes)
                    {
                        buffer = Grow(buffer, length);
                        continue;
                    }

                    var rejection = new Rejection(source, line, offset, RejectionCodes.RecordTooLarge, $"The line is longer than the {maxRecordBytes}-byte record limit; skipped.", Rejection.ExcerptOf(buffer.AsSpan(0, length)));
                    target.Post(new RecordChunk(source, ArrayPool<byte>.Shared.Rent(1), 0, Container.JsonLines) { Records = [], Rejections = [rejection] }, cancellationToken);
                    (length, offset) = SkipRestOfLine(content, buffer, length, offset);
                    line++;
                    continue;
                }

                int rest = length - cut;
                byte[] next = ArrayPool<byte>.Shared.Rent(rest + chunkBytes);
                buffer.AsSpan(cut, rest).CopyTo(next);
                long lines = buffer.AsSpan(0, cut).Count((byte)'\n');
                target.Post(new RecordChunk(source, buffer, cut, Container.JsonLines) { FirstLine = line, BaseOffset = offset }, cancellationToken);
                line += lines;
                offset += cut;
                buffer = next;
                length = rest;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    /// <summary>Reads past the next line end; returns what followed it, moved to the buffer's start.</summary>
    private static (int Length, long Offset) SkipRestOfLine(Stream content, byte[] buffer, int length, long offset)
    {
        offset += length;
        while (true)
        {
            int read = content.Read(buffer);
            if (read == 0)
            {
                return (0, offset);
            }

            int newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int rest = read - newline - 1;
                buffer.AsSpan(newline + 1, rest).CopyTo(buffer);
                return (rest, offset + newline + 1);
            }

            offset += read;
        }
    }
}
