using System.Text.Json;
using Forgewatch.Reports.Files;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Reports.Tests.Files;

public sealed class RejectionsWriterTests
{
    [Fact]
    public void Write_RecordAndFileRejections_OneJsonObjectPerLine()
    {
        string dir = Directory.CreateTempSubdirectory("fw-rej").FullName;
        using (var writer = new RejectionsWriter(dir))
        {
            writer.Write(new Rejection("a.jsonl", 7, 1234, "invalid_json", "Bad.", "{\"x\":\n\"\u001b\"}"));
            writer.Write(new Rejection("b.json", 0, -1, "truncated", "Cut.", null, FileLevel: true));
        }

        string[] lines = File.ReadAllLines(Path.Combine(dir, RejectionsWriter.FileName));

        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("a.jsonl", first.RootElement.GetProperty("source").GetString());
        Assert.Equal("record", first.RootElement.GetProperty("level").GetString());
        Assert.Equal(7, first.RootElement.GetProperty("line").GetInt64());
        Assert.Equal(1234, first.RootElement.GetProperty("byte_offset").GetInt64());
        Assert.Equal("invalid_json", first.RootElement.GetProperty("code").GetString());
        Assert.Equal("{\"x\":\n\"\u001b\"}", first.RootElement.GetProperty("excerpt").GetString());
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Equal("file", second.RootElement.GetProperty("level").GetString());
        Assert.False(second.RootElement.TryGetProperty("line", out _));
        Assert.False(second.RootElement.TryGetProperty("byte_offset", out _));
    }
}
