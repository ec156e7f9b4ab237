namespace Forgewatch.Tokens.Jws;

/// <summary>Bounds on what a token may be before anything in it is believed.</summary>
public sealed record TokenLimits
{
    private readonly int _maxTokenLength = 16 * 1024;

    /// <summary>Characters in the whole compact token (default 16 KB; 64 to 1 MiB).</summary>
    public int MaxTokenLength
    {
        get => _maxTokenLength;
        init => _maxTokenLength = value is >= 64 and <= 1024 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The token length limit must be between 64 and 1,048,576 characters.");
    }

    private readonly int _maxJsonDepth = Parsing.StrictJson.DefaultMaxDepth;

    /// <summary>Objects and arrays inside each other in the header or payload (1 to 64).</summary>
    public int MaxJsonDepth
    {
        get => _maxJsonDepth;
        init => _maxJsonDepth = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The depth limit must be between 1 and 64.");
    }

    private readonly int _maxKeyIdLength = 256;

    /// <summary>Bytes in a <c>kid</c> (1 to 1024).</summary>
    public int MaxKeyIdLength
    {
        get => _maxKeyIdLength;
        init => _maxKeyIdLength = value is >= 1 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The kid limit must be between 1 and 1024.");
    }
}
