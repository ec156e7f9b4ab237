using System.Text.Json;

namespace Forgewatch.Tokens.Parsing;

/// <summary>Where one wanted top-level member's value lies after <see cref="StrictJsonScanner"/>: in the
/// JSON itself, or (a string that had escapes) unescaped in the scratch buffer. Strings are their content
/// without quotes; numbers their text; arrays and objects their whole text.</summary>
internal struct JsonSlot
{
    public JsonTokenType Type;
    public int Start;
    public int Length;
    public bool InScratch;

    public readonly bool Found => Type != JsonTokenType.None;

    public readonly ReadOnlySpan<byte> Value(ReadOnlySpan<byte> json, ReadOnlySpan<byte> scratch) =>
        (InScratch ? scratch : json).Slice(Start, Length);
}

/// <summary>The top-level member names a scan should capture, each with its slot index.</summary>
internal interface IMemberNames
{
    static abstract int Count { get; }

    /// <summary>The slot of <paramref name="name"/> (unescaped UTF-8), or -1 if it is not wanted.</summary>
    static abstract int IndexOf(ReadOnlySpan<byte> name);
}
