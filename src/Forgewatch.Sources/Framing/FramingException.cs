namespace Forgewatch.Sources.Framing;

/// <summary>A fault that stops the reading of a file: what follows it cannot be framed reliably.</summary>
internal sealed class FramingException(string code, string message, long byteOffset, long line = 0) : Exception(message)
{
    public string Code { get; } = code;

    public long ByteOffset { get; } = byteOffset;

    public long Line { get; } = line;
}
