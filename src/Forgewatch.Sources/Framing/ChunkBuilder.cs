using System.Buffers;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>Collects framed records into rented buffers and posts them as chunks of about
/// <c>chunkBytes</c>, so that workers get batches worth the hand-off.</summary>
internal sealed class ChunkBuilder(string source, int chunkBytes, IChunkTarget target, CancellationToken cancellationToken)
{
    private byte[]? _buffer;
    private int _length;
    private List<RecordSpan> _records = [];
    private List<Rejection>? _rejections;

    public void Add(ReadOnlySpan<byte> record, long line, long byteOffset, Container container)
    {
        if (_buffer is null || _length + record.Length > _buffer.Length)
        {
            Flush();
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunkBytes, record.Length));
        }

        record.CopyTo(_buffer.AsSpan(_length));
        _records.Add(new RecordSpan(_length, record.Length, line, byteOffset, container));
        _length += record.Length;
        if (_length >= chunkBytes)
        {
            Flush();
        }
    }

    /// <summary>Space to write a record of at most <paramref name="maxLength"/> bytes in place;
    /// finish with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_buffer is null || _length + maxLength > _buffer.Length)
        {
            Flush();
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunkBytes, maxLength));
        }

        return _buffer.AsSpan(_length, maxLength);
    }

    public void Commit(int length, long line, long byteOffset, Container container)
    {
        _records.Add(new RecordSpan(_length, length, line, byteOffset, container));
        _length += length;
        if (_length >= chunkBytes)
        {
            Flush();
        }
    }

    public void Reject(Rejection rejection) => (_rejections ??= []).Add(rejection);

    public void Flush()
    {
        if (_records.Count == 0 && _rejections is null)
        {
            return;
        }

        byte[] buffer = _buffer ?? ArrayPool<byte>.Shared.Rent(1);
        target.Post(new RecordChunk(source, buffer, _length, Container.JsonArray) { Records = _records, Rejections = _rejections }, cancellationToken);
        _buffer = null;
        _length = 0;
        _records = [];
        _rejections = null;
    }
}
