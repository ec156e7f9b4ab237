using System.Text.Encodings.Web;
using System.Text.Json;

namespace Forgewatch.Reports.Files;

/// <summary>Writes one JSON object a line. Strings are JSON-escaped (control characters included), so log
/// text cannot break a line; quotes and non-ASCII stay readable (the file is JSON, never HTML).</summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly Stream _stream;

    public JsonLinesFile(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Writes one object through <paramref name="write"/> and ends the line.</summary>
    public void WriteLine(Action<Utf8JsonWriter> write)
    {
        Writer.Reset(_stream);
        Writer.WriteStartObject();
        write(Writer);
        Writer.WriteEndObject();
        Writer.Flush();
        _stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes <paramref name="values"/> as an array member named <paramref name="name"/>.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
    }
}
