namespace Forgewatch.Sources.Pipeline;

/// <summary>
/// A record (or, when <see cref="FileLevel"/>, the rest of a file) that could not be read, and why.
/// Written one a line to <c>rejected.jsonl</c>; see docs/formats.md.
/// </summary>
/// <param name="Source">The file.</param>
/// <param name="Line">1-based line, or 0 where the format has no lines (JSON documents).</param>
/// <param name="ByteOffset">Offset of the record (or the fault) in the decompressed content; -1 if unknown.</param>
/// <param name="Code">Stable reason code (<see cref="Normalization.RejectionCodes"/>).</param>
/// <param name="Reason">A sentence for people.</param>
/// <param name="Excerpt">The start of the rejected record, at most 200 characters, or null.</param>
/// <param name="FileLevel">True when the fault stopped the reading of the file.</param>
public sealed record Rejection(string Source, long Line, long ByteOffset, string Code, string Reason, string? Excerpt, bool FileLevel = false)
{
    public const int MaxExcerptLength = 200;

    public static string? ExcerptOf(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty)
        {
            return null;
        }

        string text = System.Text.Encoding.UTF8.GetString(record[..Math.Min(record.Length, MaxExcerptLength * 4)]);
        return text.Length <= MaxExcerptLength ? text : text[..MaxExcerptLength];
    }
}
