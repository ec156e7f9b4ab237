using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Tests.Pipeline;

/// <summary>Runs the real reader over files and collects everything it produced.</summary>
internal static class Reading
{
    public static ReadResult Files(IEnumerable<string> paths, LogReaderOptions? options = null)
    {
        IReadOnlyList<InputFile> files = InputFiles.Expand(paths, out IReadOnlyList<string> missing);
        Assert.Empty(missing);
        var events = new List<AuditEvent>();
        var rejections = new List<Rejection>();
        new LogReader(options).ReadAsync(files, b =>
        {
            events.AddRange(b.Events);
            rejections.AddRange(b.Rejections);
        }).GetAwaiter().GetResult();
        return new ReadResult(
            [.. events.OrderBy(e => e.Origin.Source, StringComparer.Ordinal).ThenBy(e => e.Origin.ByteOffset).ThenBy(e => e.Origin.Line)],
            [.. rejections.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Line).ThenBy(r => r.ByteOffset)]);
    }

    public static ReadResult File(string path, LogReaderOptions? options = null) => Files([path], options);

    public static ReadResult Text(string content, LogReaderOptions? options = null) => Bytes(Encoding.UTF8.GetBytes(content), options);

    public static ReadResult Bytes(byte[] content, LogReaderOptions? options = null)
    {
        string path = TempFile(content);
        try
        {
            return File(path, options);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    public static string TempFile(byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), "fw-test-" + Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }
}

internal sealed record ReadResult(IReadOnlyList<AuditEvent> Events, IReadOnlyList<Rejection> Rejections);
