using Forgewatch.Sources.Input;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// CSV files from old Mac Excel end lines with a lone CR. <see cref="CsvRowsFramer"/> reads such a file
/// with every CR turned into a line feed: outside quotes a CR there is a line end; inside a quoted cell it
/// is a line break kept as one; and in the AuditData JSON it can only be whitespace between tokens (JSON
/// strings cannot hold a raw CR), which a line feed is as well. It does not own the stream it reads.
/// </summary>
internal sealed class CarriageReturnLineEnds(Stream inner) : ReadOnlyStreamBase
{
    /// <summary>Whether the first line end in <paramref name="head"/> is a CR not followed by a LF.</summary>
    public static bool Detect(ReadOnlySpan<byte> head)
    {
        int end = head.IndexOfAny((byte)'\r', (byte)'\n');
        return end >= 0 && end + 1 < head.Length && head[end] == '\r' && head[end + 1] != '\n';
    }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        buffer[..n].Replace((byte)'\r', (byte)'\n');
        return n;
    }
}
