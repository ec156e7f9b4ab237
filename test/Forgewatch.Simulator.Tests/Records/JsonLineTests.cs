using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Tests.Records;

/// <summary>The simulator's own JSON writer must give the bytes Utf8JsonWriter with the relaxed encoder
/// gives, so that its output stays the same for a seed whichever writer made it.</summary>
public class JsonLineTests
{
    public static TheoryData<string?> Values()
    {
        TheoryData<string?> values = [null!, "", "plain", "Outlook-iOS/2.0", "a\"b", "back\\slash", "tab\there", "new\nline",
            "zoë", "東京", "emoji 😀", "\u2028separator", "<html>&'", "\u007fdel", "\u0001", "lone \ud800 surrogate"];
        foreach (int c in Enumerable.Range(0, 128))
        {
            values.Add($"x{(char)c}y");
        }

        return values;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void StringValue_AnyText_SameBytesAsUtf8JsonWriter(string? value)
    {
        var line = new JsonLine(capacity: 4);
        line.StartObject();
        line.String("\"v\":"u8, value);
        line.String("\"u\":"u8, value is null ? [] : Encoding.UTF8.GetBytes(value));
        line.EndObject();

        Assert.Equal(Reference(w =>
        {
            w.WriteString("v", value);
            w.WriteString("u"u8, value is null ? [] : Encoding.UTF8.GetBytes(value));
        }), Encoding.UTF8.GetString(line.Written));
    }

    [Fact]
    public void Objects_ArraysNumbersBooleansNullsAndTimes_SameBytesAsUtf8JsonWriter()
    {
        var time = new DateTime(2023, 5, 2, 8, 5, 9, DateTimeKind.Utc);
        var line = new JsonLine(capacity: 1);
        line.StartObject();
        line.Time("\"t\":"u8, time, zone: false);
        line.Time("\"z\":"u8, time, zone: true);
        line.Number("\"n\":"u8, -1234567890123);
        line.Number("\"zero\":"u8, 0);
        line.Boolean("\"yes\":"u8, true);
        line.Boolean("\"no\":"u8, false);
        line.Null("\"nothing\":"u8);
        line.StartArray("\"a\":"u8);
        line.StringValue("one");
        line.StartObject();
        line.String("\"k\":"u8, "v");
        line.EndObject();
        line.StartObject();
        line.EndObject();
        line.EndArray();
        line.StartObject("\"o\":"u8);
        line.StartArray("\"empty\":"u8);
        line.EndArray();
        line.EndObject();
        line.EndObject();

        Assert.Equal(Reference(w =>
        {
            w.WriteString("t", time.ToString("s", CultureInfo.InvariantCulture));
            w.WriteString("z", time.ToString("s", CultureInfo.InvariantCulture) + "Z");
            w.WriteNumber("n", -1234567890123);
            w.WriteNumber("zero", 0);
            w.WriteBoolean("yes", true);
            w.WriteBoolean("no", false);
            w.WriteNull("nothing");
            w.WriteStartArray("a");
            w.WriteStringValue("one");
            w.WriteStartObject();
            w.WriteString("k", "v");
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("o");
            w.WriteStartArray("empty");
            w.WriteEndArray();
            w.WriteEndObject();
        }), Encoding.UTF8.GetString(line.Written));
    }

    [Fact]
    public void String_Guid_CanonicalLowerCaseText()
    {
        var id = Guid.Parse("0A1B2C3D-4E5F-4A6B-8C7D-8E9FA0B1C2D3");
        var line = new JsonLine(capacity: 2);
        line.StartObject();
        line.String("\"id\":"u8, id);
        line.EndObject();

        Assert.Equal(Reference(w => w.WriteString("id", id.ToString())), Encoding.UTF8.GetString(line.Written));
        Assert.Contains("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3", Encoding.UTF8.GetString(line.Written), StringComparison.Ordinal);
    }

    [Fact]
    public void EndText_SecondRecord_StartsWithoutComma()
    {
        var line = new JsonLine();
        line.StartObject();
        line.Number("\"a\":"u8, 1);
        line.EndObject();
        line.EndText();
        line.StartObject();
        line.EndObject();

        Assert.Equal("{\"a\":1}{}", Encoding.UTF8.GetString(line.Written));
    }

    private static string Reference(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
