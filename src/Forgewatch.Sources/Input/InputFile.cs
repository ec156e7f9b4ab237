namespace Forgewatch.Sources.Input;

/// <summary>A file to read, with its size on disk (compressed size for gzip) for progress. With
/// <see cref="Open"/>, the content comes from there instead (a request body held in memory, say), and
/// <see cref="Path"/> only names it in rejections.</summary>
public sealed record InputFile(string Path, long Length)
{
    /// <summary>Opens the content, read once from its start; null to open <see cref="Path"/>.</summary>
    public Func<Stream>? Open { get; init; }
}
