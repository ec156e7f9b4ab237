namespace Forgewatch.Sources.Input;

/// <summary>Reports the bytes read from the file itself (before decompression) for progress.</summary>
internal sealed class CountingStream(Stream inner, Action<long> onRead) : ReadOnlyStreamBase
{
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        onRead(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
