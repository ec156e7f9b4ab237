namespace Forgewatch.Simulator.Output;

/// <summary>
/// The files a sink creates under the output folder, each named by its path relative to that folder with
/// <c>/</c> as the separator (how <see cref="ISimulationSink.Complete"/> lists them, on every platform).
/// Folders are made when their first file is, so a log with no records leaves no empty folder.
/// </summary>
internal sealed class OutputFiles(string directory)
{
    private readonly List<string> _created = [];

    /// <summary>Every file created so far, in the order created.</summary>
    public IReadOnlyList<string> Created => _created;

    public FileStream Create(string relativePath)
    {
        string path = Path.Combine(directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _created.Add(relativePath);
        return JsonLinesSink.Create(path);
    }

    /// <summary>Writes a whole small file at once (a malformed record on its own).</summary>
    public void WriteAll(string relativePath, ReadOnlySpan<byte> content)
    {
        using FileStream file = Create(relativePath);
        file.Write(content);
    }
}
