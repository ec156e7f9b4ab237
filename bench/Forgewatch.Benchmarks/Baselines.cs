using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Forgewatch.Benchmarks;

/// <summary>
/// The least work that reading these files can take: System.Text.Json's tokenizer over every byte,
/// with nothing built from the tokens. The readers are measured against these.
/// </summary>
internal static class Baselines
{
    public const int BlockSize = 1 << 20;

    /// <summary>Opens a file for 1 MiB sequential reads with no buffering of its own.</summary>
    public static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>Runs <see cref="Utf8JsonReader"/> over every token of a stream of JSON values, reading
    /// it in 1 MiB blocks and carrying the reader state across them. Returns the number of tokens.</summary>
    public static long TokenizeJsonStream(Stream content)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(2 * BlockSize);
        try
        {
            var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true });
            long tokens = 0;
            int leftover = 0;
            while (true)
            {
                if (buffer.Length - leftover < BlockSize)
                {
                    // A single token longer than a block: give it room.
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(leftover + BlockSize);
                    buffer.AsSpan(0, leftover).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read = content.ReadAtLeast(buffer.AsSpan(leftover, BlockSize), BlockSize, throwOnEndOfStream: false);
                bool final = read < BlockSize;
                int length = leftover + read;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
                while (reader.Read())
                {
                    tokens++;
                }

                if (final)
                {
                    return tokens;
                }

                int consumed = (int)reader.BytesConsumed;
                leftover = length - consumed;
                buffer.AsSpan(consumed, leftover).CopyTo(buffer);
                state = reader.CurrentState;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>JSON Lines: the tokenizer over the file's bytes.</summary>
    public static long TokenizeJsonLines(string path)
    {
        using FileStream file = OpenFile(path);
        return TokenizeJsonStream(file);
    }

    /// <summary>gzip JSON Lines: <see cref="GZipStream"/> decompression plus the tokenizer.</summary>
    public static long TokenizeGzipJsonLines(string path)
    {
        using FileStream file = OpenFile(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return TokenizeJsonStream(gzip);
    }

    /// <summary>Purview CSV: Sep parses the file (RFC 4180 unescaping); each AuditData cell is encoded
    /// to UTF-8 and tokenized. Returns the number of tokens; <paramref name="rows"/> counts the rows.</summary>
    public static long TokenizeCsvAuditData(string path, out long rows)
    {
        using SepReader csv = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path);
        int column = csv.Header.IndexOf("AuditData");
        byte[] utf8 = new byte[64 * 1024];
        long tokens = 0;
        rows = 0;
        foreach (SepReader.Row row in csv)
        {
            ReadOnlySpan<char> cell = row[column].Span;
            int max = Encoding.UTF8.GetMaxByteCount(cell.Length);
            if (utf8.Length < max)
            {
                utf8 = new byte[max];
            }

            int n = Encoding.UTF8.GetBytes(cell, utf8);
            var reader = new Utf8JsonReader(utf8.AsSpan(0, n));
            while (reader.Read())
            {
                tokens++;
            }

            rows++;
        }

        return tokens;
    }
}
