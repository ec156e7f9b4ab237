using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// The <c>management-api</c> shape: what a collector saves from the vendors' APIs. The unified audit log
/// as Office 365 Management Activity API content blobs (<see cref="ContentBlobWriter"/>, <c>ual/</c>) and
/// sign-ins as Microsoft Graph <c>auditLogs/signIns</c> pages (<see cref="GraphPageWriter"/>,
/// <c>signins/</c>). A malformed record is a file of its own, since a broken value inside an array would
/// make the reader give up the whole file.
/// </summary>
internal sealed class ManagementApiSink : ISimulationSink
{
    private readonly OutputFiles _files;
    private readonly ContentBlobWriter _ual;
    private readonly GraphPageWriter _signIns;

    public ManagementApiSink(string directory)
    {
        _files = new OutputFiles(directory);
        _ual = new ContentBlobWriter(_files);
        _signIns = new GraphPageWriter(_files);
    }

    public string Shape => "management-api";

    public void Write(SimRecord record)
    {
        if (record.Log == SimLog.Ual)
        {
            _ual.Write(record);
        }
        else
        {
            _signIns.Write(record);
        }
    }

    public IReadOnlyList<string> Complete()
    {
        _ual.Complete();
        _signIns.Complete();
        return [.. _files.Created.Order(StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        _ual.Dispose();
        _signIns.Dispose();
    }
}
