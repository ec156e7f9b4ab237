namespace Forgewatch.Sources.Input;

/// <summary>A file to read, with its size on disk (compressed size for gzip) for progress.</summary>
public sealed record InputFile(string Path, long Length);
