using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Reports.Files;

/// <summary>
/// Writes <c>rejected.jsonl</c>: one JSON object a line per rejected record or unreadable file
/// (fields documented in docs/formats.md). Strings are JSON-escaped, so log text cannot break a line.
/// </summary>
public sealed class RejectionsWriter : IDisposable
{
    public const string FileName = "rejected.jsonl";

    private readonly JsonLinesFile _file;

    public RejectionsWriter(string directory) => _file = new JsonLinesFile(Path.Combine(directory, FileName));

    public long Count { get; private set; }

    public void Write(Rejection r)
    {
        _file.WriteLine(w =>
        {
            w.WriteString("source", r.Source);
            w.WriteString("level", r.FileLevel ? "file" : "record");
            if (r.Line > 0)
            {
                w.WriteNumber("line", r.Line);
            }

            if (r.ByteOffset >= 0)
            {
                w.WriteNumber("byte_offset", r.ByteOffset);
            }

            w.WriteString("code", r.Code);
            w.WriteString("reason", r.Reason);
            if (r.Excerpt is not null)
            {
                w.WriteString("excerpt", r.Excerpt);
            }
        });
        Count++;
    }

    public void Dispose() => _file.Dispose();
}
