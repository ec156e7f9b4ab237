using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// The <c>jsonl</c> shape: <c>ual.jsonl</c> (unified audit log records one per line, as collectors write
/// them) and <c>signins.jsonl</c> (Graph <c>signIn</c> objects one per line). UTF-8, LF.
/// </summary>
internal sealed class JsonLinesSink(string directory) : ISimulationSink
{
    public const string UalFile = "ual.jsonl";
    public const string SignInFile = "signins.jsonl";

    private readonly FileStream _ual = Create(Path.Combine(directory, UalFile));
    private readonly FileStream _signIns = Create(Path.Combine(directory, SignInFile));

    public string Shape => "jsonl";

    public void Write(SimRecord record)
    {
        FileStream file = record.Log == SimLog.Ual ? _ual : _signIns;
        file.Write(record.Json);
        file.WriteByte((byte)'\n');
    }

    public IReadOnlyList<string> Complete()
    {
        _ual.Flush();
        _signIns.Flush();
        return [UalFile, SignInFile];
    }

    public void Dispose()
    {
        _ual.Dispose();
        _signIns.Dispose();
    }

    internal static FileStream Create(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
}
