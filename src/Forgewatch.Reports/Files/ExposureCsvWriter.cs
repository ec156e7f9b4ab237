using System.Globalization;
using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;

namespace Forgewatch.Reports.Files;

/// <summary>
/// Writes <c>exposure.csv</c> (UTF-8, CRLF, header row): what each incident's actor read, one message or
/// synchronized folder a row (columns in docs/formats.md). Every cell goes through <see cref="CsvText"/>.
/// </summary>
public static class ExposureCsvWriter
{
    public const string FileName = "exposure.csv";

    public const string Header = "tenant,incident,mailbox,folder,internet_message_id,access_type,time,throttled,record_id";

    public static void Write(string directory, IEnumerable<ExposureEntry> entries)
    {
        using var writer = new StreamWriter(Path.Combine(directory, FileName), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
        writer.WriteLine(Header);
        foreach (ExposureEntry e in entries)
        {
            writer.Write(CsvText.Cell(e.Tenant));
            writer.Write(',');
            writer.Write(CsvText.Cell(e.Incident));
            writer.Write(',');
            writer.Write(CsvText.Cell(e.Mailbox));
            writer.Write(',');
            writer.Write(CsvText.Cell(e.Folder));
            writer.Write(',');
            writer.Write(CsvText.Cell(e.InternetMessageId));
            writer.Write(',');
            writer.Write(AccessTypeName(e.AccessType));
            writer.Write(',');
            writer.Write(e.Time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(e.Throttled ? "true" : "false");
            writer.Write(',');
            writer.WriteLine(CsvText.Cell(e.RecordId));
        }
    }

    public static string AccessTypeName(MailAccessType type) => type switch
    {
        MailAccessType.Bind => "Bind",
        MailAccessType.Sync => "Sync",
        _ => "Unknown",
    };
}
