using System.Security.Cryptography;
using System.Text;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Output;

/// <summary>
/// Writes sign-ins as the pages of Microsoft Graph <c>GET /beta/auditLogs/signIns</c>:
/// <c>signins/page-NNNNN.json</c>, each <c>{"@odata.context":...,"value":[...],"@odata.nextLink":...}</c> on
/// one line with at most <see cref="MaxRecords"/> sign-ins, the last page without <c>@odata.nextLink</c>, as
/// a collector that saves every page it follows has them. A full page stays open until the next sign-in
/// arrives, because only then is it known whether a next page exists; records go straight to the file.
/// </summary>
internal sealed class GraphPageWriter(OutputFiles files) : IDisposable
{
    public const int MaxRecords = 1_000;

    public const string Context = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns";

    public const string NextLinkBase = "https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=";

    private FileStream? _page;
    private int _records;
    private int _pages;
    private int _malformed;

    public void Write(SimRecord record)
    {
        if (record.Malformed)
        {
            // A broken sign-in inside "value" would break the whole page: it stands alone instead.
            files.WriteAll($"signins/page-malformed-{++_malformed:D5}.json", record.Json.Span);
            return;
        }

        if (_page is not null && _records == MaxRecords)
        {
            Close(next: record);
        }

        if (_page is null)
        {
            _page = files.Create($"signins/page-{++_pages:D5}.json");
            _page.Write(Encoding.UTF8.GetBytes($"{{\"@odata.context\":\"{Context}\",\"value\":["));
            _records = 0;
        }
        else
        {
            _page.WriteByte((byte)',');
        }

        _page.Write(record.Json.Span);
        _records++;
    }

    /// <summary>Ends the last page, which has no next link.</summary>
    public void Complete() => Close(next: null);

    public void Dispose() => _page?.Dispose();

    /// <summary>The skip token Graph would hand out for the page starting at <paramref name="first"/>:
    /// opaque to the reader, and made from the record so the same run writes the same bytes.</summary>
    private static string SkipToken(SimRecord first) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(first.TextId)));

    private void Close(SimRecord? next)
    {
        if (_page is null)
        {
            return;
        }

        _page.WriteByte((byte)']');
        if (next is { } following)
        {
            _page.Write(Encoding.UTF8.GetBytes($",\"@odata.nextLink\":\"{NextLinkBase}{SkipToken(following)}\""));
        }

        _page.WriteByte((byte)'}');
        _page.Dispose();
        _page = null;
    }
}
