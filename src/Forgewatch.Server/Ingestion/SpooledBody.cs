using System.Buffers;
using Forgewatch.Server.Hosting;

namespace Forgewatch.Server.Ingestion;

/// <summary>
/// A request body, copied once and read back by the log readers: in memory up to <c>inMemoryBytes</c> (a
/// buffer from the shared pool, no file written and read back), and beyond that in a file of the incoming
/// folder, deleted on dispose. Never more than the byte limit either way.
/// </summary>
internal sealed class SpooledBody : IDisposable
{
    /// <summary>The first buffer for a body of unknown length.</summary>
    private const int InitialBytes = 64 * 1024;

    private byte[]? _buffer;
    private string? _path;

    private SpooledBody()
    {
    }

    /// <summary>Bytes in the body; -1 when it was over the limit (and not kept).</summary>
    public long Length { get; private set; }

    /// <summary>Where the body was spilled, or null while it is held in memory.</summary>
    public string? FilePath => _path;

    /// <summary>Copies <paramref name="body"/>, at most <paramref name="maxBytes"/>. With the declared length
    /// (<paramref name="expectedBytes"/>, <c>Content-Length</c>) the buffer has the right size from the start;
    /// without it, it starts small and doubles, up to <paramref name="inMemoryBytes"/>.</summary>
    public static async Task<SpooledBody> ReadAsync(Stream body, long? expectedBytes, string incomingDirectory, long maxBytes, int inMemoryBytes, CancellationToken cancellationToken)
    {
        var spooled = new SpooledBody();
        try
        {
            await spooled.FillAsync(body, expectedBytes, incomingDirectory, maxBytes, inMemoryBytes, cancellationToken).ConfigureAwait(false);
            return spooled;
        }
        catch
        {
            spooled.Dispose();
            throw;
        }
    }

    /// <summary>The body from its first byte.</summary>
    public Stream Open() =>
        _path is not null
            ? new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan)
            : new MemoryStream(_buffer ?? [], 0, (int)Math.Max(Length, 0), writable: false);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        if (_path is not null)
        {
            File.Delete(_path);
            _path = null;
        }
    }

    private async Task FillAsync(Stream body, long? expectedBytes, string incomingDirectory, long maxBytes, int inMemoryBytes, CancellationToken cancellationToken)
    {
        // One byte more than the limit tells a body over it; one more than the declared length, its end.
        int capacity = (int)Math.Min(inMemoryBytes, maxBytes + 1);
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((expectedBytes ?? InitialBytes) + 1, 1, capacity));
        int held = 0;
        int read;
        while (held < capacity && (read = await body.ReadAsync(_buffer.AsMemory(held, Math.Min(_buffer.Length, capacity) - held), cancellationToken).ConfigureAwait(false)) > 0)
        {
            held += read;
            if (held == _buffer.Length && held < capacity)
            {
                byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, capacity));
                _buffer.AsSpan(0, held).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
        }

        if (held > maxBytes)
        {
            Length = -1;
            return;
        }

        if (held < capacity)
        {
            Length = held;
            return;
        }

        // Larger than the memory allowed: what came so far and the rest go to a file.
        Directory.CreateDirectory(incomingDirectory);
        _path = Path.Combine(incomingDirectory, $"{Guid.NewGuid():N}.batch");
        await using var file = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await file.WriteAsync(_buffer.AsMemory(0, held), cancellationToken).ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        long rest = await BoundedBody.CopyAsync(body, file, maxBytes - held, cancellationToken).ConfigureAwait(false);
        Length = rest < 0 ? -1 : held + rest;
    }
}
