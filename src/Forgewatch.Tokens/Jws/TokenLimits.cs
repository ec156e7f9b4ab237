namespace Forgewatch.Tokens.Jws;

/// <summary>Bounds on what a token may be before anything in it is believed.</summary>
public sealed record TokenLimits
{
    /// <summary>Characters in the whole compact token (default 16 KB).</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>Objects and arrays inside each other in the header or payload.</summary>
    public int MaxJsonDepth { get; init; } = Parsing.StrictJson.DefaultMaxDepth;

    /// <summary>Characters in a <c>kid</c>.</summary>
    public int MaxKeyIdLength { get; init; } = 256;
}
