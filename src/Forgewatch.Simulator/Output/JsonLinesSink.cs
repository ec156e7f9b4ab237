using System.IO.Compression;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// The <c>jsonl</c> shape: <c>ual.jsonl</c> (unified audit log records one per line, as collectors write
/// them) and <c>signins.jsonl</c> (Graph <c>signIn</c> objects one per line). UTF-8, LF. With gzip, the
/// same as <c>ual.jsonl.gz</c> and <c>signins.jsonl.gz</c> (for samples kept in a repository).
/// </summary>
internal sealed class JsonLinesSink : ISimulationSink
{
    public const string UalFile = "ual.jsonl";
    public const string SignInFile = "signins.jsonl";

    private readonly string _suffix;
    private readonly Stream _ual;
    private readonly Stream _signIns;

    public JsonLinesSink(string directory, bool gzip = false)
    {
        _suffix = gzip ? ".gz" : "";
        _ual = Open(Path.Combine(directory, UalFile + _suffix), gzip);
        _signIns = Open(Path.Combine(directory, SignInFile + _suffix), gzip);
    }

    public string Shape => "jsonl";

    public void Write(SimRecord record)
    {
        Stream file = record.Log == SimLog.Ual ? _ual : _signIns;
        file.Write(record.Json.Span);
        file.WriteByte((byte)'\n');
    }

    public IReadOnlyList<string> Complete()
    {
        _ual.Flush();
        _signIns.Flush();
        return [UalFile + _suffix, SignInFile + _suffix];
    }

    public void Dispose()
    {
        _ual.Dispose();
        _signIns.Dispose();
    }

    /// <summary>
    /// A new file for writing, replacing any file of that name. Removed first and then created afresh,
    /// rather than opened with <see cref="FileMode.Create"/>: that truncates an open file, and ext4 then
    /// writes all of it out when it is closed (0.3 s per 700 MB here), since it takes truncate-and-rewrite
    /// for an application replacing a file's content.
    /// </summary>
    internal static FileStream Create(string path)
    {
        File.Delete(path);
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20);
    }

    private static Stream Open(string path, bool gzip) =>
        gzip ? new GZipStream(Create(path), CompressionLevel.SmallestSize) : Create(path);
}
