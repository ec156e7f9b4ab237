using System.IO.Compression;
using System.Text;

namespace Forgewatch.Sources.Input;

/// <summary>
/// Opens a file as UTF-8 text whatever it was written as: gzip is recognized by its magic bytes (not the
/// name), a UTF-8 byte order mark is dropped, and UTF-16 (what Windows PowerShell's Out-File writes) is
/// transcoded. The returned stream stops at the first invalid byte (see <see cref="Validator"/>) and
/// starts with a <see cref="Head"/> of up to 64 KiB that the caller can sniff without consuming it.
/// </summary>
internal sealed class ContentOpener : IDisposable
{
    public const int HeadLength = 64 * 1024;

    private ContentOpener(Utf8ValidatingStream content, byte[] head, int headLength, bool compressed)
    {
        Content = content;
        Validator = content;
        Head = head.AsMemory(0, headLength);
        IsCompressed = compressed;
    }

    /// <summary>The decoded content, from its first byte (the head is replayed).</summary>
    public Stream Content { get; }

    /// <summary>Tells whether the content stopped early at bytes that are not UTF-8.</summary>
    public Utf8ValidatingStream Validator { get; }

    /// <summary>The first bytes of the decoded content.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    public bool IsCompressed { get; }

    public static ContentOpener Open(InputFile input, Action<long> onFileBytesRead)
    {
        ArgumentNullException.ThrowIfNull(input);
        Stream file = input.Open?.Invoke() ?? new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            // Content opened by the caller is in memory, or buffered as the caller sees fit.
            Stream counted = input.Open is null ? new BufferedStream(new CountingStream(file, onFileBytesRead), 1 << 20) : new CountingStream(file, onFileBytesRead);
            bool compressed = false;
            Span<byte> magic = stackalloc byte[2];
            int got = counted.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            Stream raw = new PrefixedStream(magic[..got].ToArray(), got, counted);
            if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            {
                raw = new GZipStream(raw, CompressionMode.Decompress);
                compressed = true;
            }

            byte[] head = new byte[HeadLength];
            int headLength = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Stream decoded = raw;
            if (headLength >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            {
                Encoding utf16 = head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
                decoded = Encoding.CreateTranscodingStream(new PrefixedStream(head, headLength, raw), utf16, Encoding.UTF8);
                head = new byte[HeadLength];
                headLength = decoded.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }

            int skip = headLength >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
            byte[] trimmed = skip == 0 ? head : head[skip..headLength];
            int trimmedLength = headLength - skip;
            var content = new Utf8ValidatingStream(new PrefixedStream(trimmed, trimmedLength, decoded));
            return new ContentOpener(content, trimmed, trimmedLength, compressed);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => Content.Dispose();
}
