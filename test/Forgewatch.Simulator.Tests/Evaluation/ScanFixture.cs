using System.Text;
using System.Text.Json;
using Forgewatch.Simulator.Evaluation;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Tests.Evaluation;

/// <summary>
/// A small truth.json and the scan outputs (alerts.jsonl, incidents.jsonl, exposure.csv) of one imagined
/// scan, written into a temporary folder in the documented formats, for scoring.
/// </summary>
internal sealed class ScanFixture
{
    public const string Tenant = "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21";

    private static readonly DateTime Start = new(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly List<TruthAttack> _attacks = [];
    private readonly List<string> _alerts = [];
    private readonly List<string> _incidents = [];
    private readonly StringBuilder _exposure = new("tenant,incident,mailbox,folder,internet_message_id,access_type,time,throttled,record_id\r\n");

    public ScanFixture()
    {
        Folder = Directory.CreateTempSubdirectory("fw-eval-").FullName;
        Results = Path.Combine(Folder, "out");
        Directory.CreateDirectory(Results);
    }

    public string Folder { get; }

    public string TruthPath => Path.Combine(Folder, "truth.json");

    public string Results { get; }

    public long MailboxDays { get; set; } = 1000;

    public int Days { get; set; } = 10;

    public string Format { get; set; } = TruthFile.CurrentFormat;

    public ScanFixture Attack(string playbook, string id, string[] mailboxes, string[] maliciousRecordIds, Dictionary<string, string[]>? exposed = null)
    {
        _attacks.Add(new TruthAttack
        {
            Playbook = playbook,
            Id = id,
            Tenant = Tenant,
            Began = Start.AddDays(1),
            Mailboxes = mailboxes,
            MaliciousRecordIds = maliciousRecordIds,
            Exposed = (exposed ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
        });
        return this;
    }

    /// <summary>An alert first seen <paramref name="minute"/> minutes into the second day.</summary>
    public ScanFixture Alert(string id, int minute, params string[] evidenceIds)
    {
        _alerts.Add(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["detection"] = "FW1002",
            ["severity"] = "high",
            ["tenant"] = Tenant,
            ["first_seen"] = Start.AddDays(1).AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["last_seen"] = Start.AddDays(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["evidence_ids"] = evidenceIds,
            ["evidence_count"] = evidenceIds.Length,
            ["incident"] = null,
        }));
        return this;
    }

    public ScanFixture Incident(string id, string severity, string[] alertIds, params string[] mailboxes) =>
        IncidentOf(Tenant, id, severity, alertIds, mailboxes);

    /// <summary>An incident of <paramref name="tenant"/> (another tenant than the simulated one: a scan of
    /// the simulated logs together with others).</summary>
    public ScanFixture IncidentOf(string tenant, string id, string severity, string[] alertIds, params string[] mailboxes)
    {
        _incidents.Add(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["tenant"] = tenant,
            ["severity"] = severity,
            ["confidence"] = "high",
            ["detections"] = new[] { "FW1002" },
            ["alert_ids"] = alertIds,
            ["mailboxes"] = mailboxes,
        }));
        return this;
    }

    /// <summary>An exposure.csv row; <paramref name="messageIdCell"/> is written as it is (quoting,
    /// apostrophe and all), an empty one with access type Sync.</summary>
    public ScanFixture Exposure(string incident, string mailbox, string messageIdCell)
    {
        string access = messageIdCell.Length == 0 ? "Sync" : "Bind";
        _exposure.Append(Tenant).Append(',').Append(incident).Append(',').Append(mailbox).Append(@",\Inbox,")
            .Append(messageIdCell).Append(',').Append(access).Append(",2023-06-02T01:00:00Z,false,rec-x\r\n");
        return this;
    }

    /// <summary>Writes the files (again, after changes) without scoring.</summary>
    public ScanFixture Write()
    {
        var truth = new TruthFile
        {
            Format = Format,
            Seed = 7,
            Start = Start,
            End = Start.AddDays(Days),
            Days = Days,
            MailboxDays = MailboxDays,
            Tenants = [new TruthTenant { Id = Tenant, Domain = "contoso.onmicrosoft.com", Mailboxes = ["alice@contoso.onmicrosoft.com"] }],
            Attacks = _attacks,
        };
        File.WriteAllText(TruthPath, JsonSerializer.Serialize(truth, TruthFile.SerializerOptions));
        File.WriteAllLines(Path.Combine(Results, "alerts.jsonl"), _alerts);
        File.WriteAllLines(Path.Combine(Results, "incidents.jsonl"), _incidents);
        File.WriteAllText(Path.Combine(Results, "exposure.csv"), _exposure.ToString(), new UTF8Encoding(false));
        return this;
    }

    public ScanEvaluation Evaluate()
    {
        Write();
        return ScanEvaluator.Evaluate(TruthPath, Results);
    }
}
