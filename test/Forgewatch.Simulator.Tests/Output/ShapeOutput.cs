using Forgewatch.Core.Events;
using Forgewatch.Simulator.Output;
using Forgewatch.Simulator.Records;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Simulator.Tests.Output;

/// <summary>Records written through a sink into a temporary folder, then read back with the real reader.</summary>
internal sealed class ShapeOutput : IDisposable
{
    private ShapeOutput(string directory, IReadOnlyList<string> files, List<AuditEvent> events, List<Rejection> rejections)
    {
        Directory = directory;
        Files = files;
        Events = events;
        Rejections = rejections;
    }

    public string Directory { get; }

    /// <summary>The files the sink reported, relative to <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> Files { get; }

    public List<AuditEvent> Events { get; }

    public List<Rejection> Rejections { get; }

    public IEnumerable<AuditEvent> Ual => Events.Where(e => e is not SignInEvent);

    public IEnumerable<AuditEvent> SignIns => Events.OfType<SignInEvent>();

    public static ShapeOutput Write(string shape, IEnumerable<SimRecord> records)
    {
        string directory = NewDirectory();
        IReadOnlyList<string> files;
        using (ISimulationSink sink = SinkFactory.Create(shape, directory))
        {
            foreach (SimRecord record in records)
            {
                sink.Write(record);
            }

            files = sink.Complete();
        }

        (List<AuditEvent> events, List<Rejection> rejections) = Read(directory);
        return new ShapeOutput(directory, files, events, rejections);
    }

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "fw-shape-test-" + Guid.NewGuid().ToString("N"));

    public static (List<AuditEvent> Events, List<Rejection> Rejections) Read(string directory)
    {
        var events = new List<AuditEvent>();
        var rejections = new List<Rejection>();
        IReadOnlyList<InputFile> files = InputFiles.Expand([directory], out IReadOnlyList<string> missing);
        Assert.Empty(missing);
        new LogReader().ReadAsync(files, batch =>
        {
            events.AddRange(batch.Events);
            rejections.AddRange(batch.Rejections);
        }).GetAwaiter().GetResult();
        return (events, rejections);
    }

    public string PathOf(string file) => Path.Combine(Directory, file);

    public byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static void Delete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    public void Dispose() => Delete(Directory);
}
