using System.Text.Encodings.Web;
using System.Text.Json;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Reports.Files;

/// <summary>
/// Writes <c>rejected.jsonl</c>: one JSON object a line per rejected record or unreadable file
/// (fields documented in docs/formats.md). Strings are JSON-escaped, so log text cannot break a line.
/// </summary>
public sealed class RejectionsWriter : IDisposable
{
    public const string FileName = "rejected.jsonl";

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;

    public RejectionsWriter(string directory)
    {
        _stream = new FileStream(Path.Combine(directory, FileName), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        // Relaxed escaping keeps quotes readable; the output is JSON, never embedded in HTML as is.
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public long Count { get; private set; }

    public void Write(Rejection r)
    {
        _writer.Reset(_stream);
        _writer.WriteStartObject();
        _writer.WriteString("source", r.Source);
        _writer.WriteString("level", r.FileLevel ? "file" : "record");
        if (r.Line > 0)
        {
            _writer.WriteNumber("line", r.Line);
        }

        if (r.ByteOffset >= 0)
        {
            _writer.WriteNumber("byte_offset", r.ByteOffset);
        }

        _writer.WriteString("code", r.Code);
        _writer.WriteString("reason", r.Reason);
        if (r.Excerpt is not null)
        {
            _writer.WriteString("excerpt", r.Excerpt);
        }

        _writer.WriteEndObject();
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
