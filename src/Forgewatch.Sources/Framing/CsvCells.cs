using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forgewatch.Sources.Framing;

/// <summary>How a CSV cell ended.</summary>
internal enum CellEnd
{
    /// <summary>At a separator: another cell of the row follows.</summary>
    Separator,
    /// <summary>At a line end outside quotes: the row ends.</summary>
    LineEnd,
    /// <summary>At the end of the data, outside quotes: the row ends without a line end.</summary>
    DataEnd,
    /// <summary>At the end of the data, inside a quoted section: the row is cut short.</summary>
    InsideQuotes,
}

/// <summary>
/// Reads CSV cells (RFC 4180) from UTF-8 bytes: cells end at the separator or a line end (LF, or CRLF
/// whose CR is dropped) outside quotes; inside quotes a doubled quote stands for one quote. Every quote
/// opens or closes a quoted section wherever it stands, as in Sep and Excel, so that a row ends exactly
/// where the count of quotes before a line end is even (<see cref="CsvRowsFramer"/> cuts files there).
/// A cell's text is the cell without its delimiting quotes and with doubled quotes made single.
/// </summary>
internal static class CsvCells
{
    /// <summary>Room a copy destination needs beyond the cell's raw length (whole vectors are stored).</summary>
    public const int CopySlack = 32;

    /// <summary>
    /// Reads the cell that starts at <paramref name="pos"/> and moves <paramref name="pos"/> past the
    /// separator or line end that ends it. With a non-empty <paramref name="copy"/> (at least the rest of
    /// <paramref name="data"/> plus <see cref="CopySlack"/> long) the cell's text is written there and its
    /// length given in <paramref name="copied"/>.
    /// </summary>
    public static CellEnd Read(ReadOnlySpan<byte> data, ref int pos, byte separator, Span<byte> copy, out int copied)
    {
        int written = 0;
        int p = pos;
        while (true)
        {
            if (p < data.Length && data[p] == '"')
            {
                p = QuotedSection(data, p + 1, copy, ref written);
                if (p < 0)
                {
                    pos = data.Length;
                    copied = written;
                    return CellEnd.InsideQuotes;
                }

                continue;
            }

            ReadOnlySpan<byte> rest = data[p..];
            int stop = rest.IndexOfAny(separator, (byte)'\n', (byte)'"');
            int end = stop < 0 ? data.Length : p + stop;
            if (!copy.IsEmpty)
            {
                data[p..end].CopyTo(copy[written..]);
                written += end - p;
            }

            if (stop < 0)
            {
                pos = data.Length;
                copied = written;
                return CellEnd.DataEnd;
            }

            byte b = data[end];
            if (b == '"')
            {
                p = end;
                continue;
            }

            pos = end + 1;
            if (b == separator)
            {
                copied = written;
                return CellEnd.Separator;
            }

            // A line end: the CR of a CRLF is not part of the cell.
            if (!copy.IsEmpty && written > 0 && copy[written - 1] == '\r' && end > 0 && data[end - 1] == '\r')
            {
                written--;
            }

            copied = written;
            return CellEnd.LineEnd;
        }
    }

    /// <summary>
    /// The inside of a quoted section from <paramref name="from"/> (just after its opening quote): copies
    /// it with doubled quotes made single and returns the index after its closing quote, or -1 when the
    /// data ends first. Cells holding JSON have a doubled quote every few bytes, so quotes are found a
    /// vector at a time and each run between them copied with one vector move.
    /// </summary>
    private static int QuotedSection(ReadOnlySpan<byte> data, int from, Span<byte> copy, ref int written)
    {
        ref byte source = ref MemoryMarshal.GetReference(data);
        int segment = from;
        int i = from;
        uint skipFirst = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> quote = Vector256.Create((byte)'"');
            for (; i <= data.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                uint quotes = Vector256.Equals(Vector256.LoadUnsafe(ref source, (nuint)i), quote).ExtractMostSignificantBits() & ~skipFirst;
                skipFirst = 0;
                while (quotes != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(quotes);
                    int q = i + bit;
                    if (q + 1 >= data.Length || data[q + 1] != '"')
                    {
                        Append(data, segment, q, copy, ref written);
                        return q + 1;
                    }

                    // A doubled quote: keep one.
                    Append(data, segment, q + 1, copy, ref written);
                    segment = q + 2;
                    if (bit == 31)
                    {
                        skipFirst = 1;
                        break;
                    }

                    quotes &= ~(3u << bit);
                }
            }
        }

        for (i += (int)skipFirst; i < data.Length; i++)
        {
            if (data[i] != '"')
            {
                continue;
            }

            if (i + 1 >= data.Length || data[i + 1] != '"')
            {
                Append(data, segment, i, copy, ref written);
                return i + 1;
            }

            Append(data, segment, i + 1, copy, ref written);
            segment = i + 2;
            i++;
        }

        Append(data, segment, data.Length, copy, ref written);
        return -1;
    }

    /// <summary>Copies <paramref name="data"/>[start..end) to the destination, a vector move when it is short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Append(ReadOnlySpan<byte> data, int start, int end, Span<byte> copy, ref int written)
    {
        if (copy.IsEmpty)
        {
            return;
        }

        int length = end - start;
        if (Vector256.IsHardwareAccelerated && length <= Vector256<byte>.Count && start <= data.Length - Vector256<byte>.Count && written <= copy.Length - Vector256<byte>.Count)
        {
            Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(data), (nuint)start)
                .StoreUnsafe(ref MemoryMarshal.GetReference(copy), (nuint)written);
        }
        else
        {
            data[start..end].CopyTo(copy[written..]);
        }

        written += length;
    }
}
