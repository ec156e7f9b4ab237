using Microsoft.Win32.SafeHandles;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>
/// Where spooled events' bytes live: in memory up to a budget, then in a temporary file that is deleted
/// when the storage is disposed. Reads from the file go through a small window that follows sequential
/// access and reads single records otherwise, so random replay order costs one read per record, not one
/// window per record, and nothing of the file is mapped into the process. Not thread-safe.
/// </summary>
internal sealed class SpoolStorage(long memoryBudget, string? directory) : IDisposable
{
    private const int WindowSize = 256 << 10;

    /// <summary>Memory is taken in chunks of a quarter of the budget, between 64 KiB and 4 MiB.</summary>
    private readonly int _chunkSize = (int)Math.Clamp(memoryBudget / 4, 64 << 10, 4 << 20);
    private readonly List<byte[]> _chunks = [];
    private int _used = int.MaxValue;
    private SafeFileHandle? _file;
    private FileStream? _stream;
    private long _fileLength;
    private long _flushedLength;
    private byte[] _pending = [];
    private int _pendingLength;
    private byte[] _window = [];
    private long _windowStart = -1;
    private int _windowLength;
    private byte[] _single = new byte[4096];

    /// <summary>Bytes held in memory.</summary>
    public long MemoryBytes { get; private set; }

    /// <summary>Bytes written to the temporary file.</summary>
    public long FileBytes => _fileLength;

    /// <summary>Stores <paramref name="data"/>; returns where (in memory: chunk number in the high 32 bits and
    /// offset in the low; in the file: <c>-1 - offset</c>).</summary>
    public long Append(ReadOnlySpan<byte> data)
    {
        bool fitsChunk = _chunks.Count > 0 && data.Length <= _chunks[^1].Length - _used;
        if (_file is null && (fitsChunk || MemoryBytes + Math.Max(_chunkSize, data.Length) <= memoryBudget))
        {
            if (!fitsChunk)
            {
                _chunks.Add(new byte[Math.Max(_chunkSize, data.Length)]);
                MemoryBytes += _chunks[^1].Length;
                _used = 0;
            }

            long position = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
            data.CopyTo(_chunks[^1].AsSpan(_used));
            _used += data.Length;
            return position;
        }

        if (_file is null)
        {
            _file = CreateFile();
            _pending = new byte[1 << 20];
        }

        // Records are small: they are gathered into one write of about a megabyte.
        long offset = _fileLength;
        if (_pendingLength + data.Length > _pending.Length)
        {
            FlushPending();
        }

        if (data.Length > _pending.Length)
        {
            RandomAccess.Write(_file, data, offset);
            _flushedLength += data.Length;
        }
        else
        {
            data.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += data.Length;
        }

        _fileLength += data.Length;
        return -1 - offset;
    }

    private void FlushPending()
    {
        if (_pendingLength > 0)
        {
            RandomAccess.Write(_file!, _pending.AsSpan(0, _pendingLength), _flushedLength);
            _flushedLength += _pendingLength;
            _pendingLength = 0;
        }
    }

    /// <summary>The <paramref name="length"/> bytes stored at <paramref name="position"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Read(long position, int length)
    {
        if (position >= 0)
        {
            return _chunks[(int)(position >> 32)].AsSpan((int)(position & uint.MaxValue), length);
        }

        FlushPending();
        long offset = -1 - position;
        if (offset >= _windowStart && offset + length <= _windowStart + _windowLength)
        {
            return _window.AsSpan((int)(offset - _windowStart), length);
        }

        // Moving forward from the last window: read ahead. Anywhere else: read just this record.
        bool sequential = _windowStart >= 0 && offset >= _windowStart && offset < _windowStart + (2L * WindowSize);
        if (sequential || length > WindowSize)
        {
            int size = Math.Max(WindowSize, length);
            if (_window.Length < size)
            {
                _window = new byte[size];
            }

            _windowLength = RandomAccess.Read(_file!, _window.AsSpan(0, (int)Math.Min(size, _fileLength - offset)), offset);
            _windowStart = offset;
            return _window.AsSpan(0, length);
        }

        if (_single.Length < length)
        {
            _single = new byte[length];
        }

        RandomAccess.Read(_file!, _single.AsSpan(0, length), offset);
        _windowStart = offset;
        _windowLength = 0;
        return _single.AsSpan(0, length);
    }

    /// <summary>
    /// A new temporary file only this user can read (the events are mail metadata). On Unix its name is
    /// removed at once, so nothing is left behind even when the process is killed; elsewhere it is deleted
    /// on close.
    /// </summary>
    private SafeFileHandle CreateFile()
    {
        string path = Path.Combine(directory ?? Path.GetTempPath(), $"forgewatch-spool-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        _stream = stream;
        return stream.SafeFileHandle;
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _chunks.Clear();
    }
}
