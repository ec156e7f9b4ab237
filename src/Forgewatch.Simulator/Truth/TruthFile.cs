using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forgewatch.Simulator.Truth;

/// <summary>
/// What really happened in a simulation (<c>truth.json</c>, documented in <c>docs/formats.md</c>): the
/// tenants and their mailboxes, and for every attack the playbook, the mailboxes attacked, the malicious
/// records in time order and the messages exposed. <c>forgewatch evaluate</c> scores a scan against it.
/// </summary>
public sealed record TruthFile
{
    /// <summary>The format's name and version; readers refuse others.</summary>
    public const string CurrentFormat = "forgewatch-truth/1";

    [JsonPropertyName("format")]
    public string Format { get; init; } = CurrentFormat;

    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    /// <summary>First simulated instant (UTC, inclusive).</summary>
    [JsonPropertyName("start")]
    public DateTime Start { get; init; }

    /// <summary>End of the simulation (UTC, exclusive).</summary>
    [JsonPropertyName("end")]
    public DateTime End { get; init; }

    [JsonPropertyName("days")]
    public int Days { get; init; }

    /// <summary>The output shape: <c>jsonl</c>, <c>management-api</c> or <c>purview-csv</c>.</summary>
    [JsonPropertyName("shape")]
    public string Shape { get; init; } = "jsonl";

    /// <summary>Log files written, relative to the folder holding this file (<c>logs/...</c>).</summary>
    [JsonPropertyName("files")]
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Records written, by log (<c>ual</c>, <c>signins</c>), malformed lines included.</summary>
    [JsonPropertyName("records")]
    public IReadOnlyDictionary<string, long> Records { get; init; } = new Dictionary<string, long>();

    /// <summary>Lines written deliberately malformed (a reader must reject exactly these).</summary>
    [JsonPropertyName("malformed_lines")]
    public long MalformedLines { get; init; }

    [JsonPropertyName("tenants")]
    public IReadOnlyList<TruthTenant> Tenants { get; init; } = [];

    /// <summary>Mailboxes times days, over every tenant.</summary>
    [JsonPropertyName("mailbox_days")]
    public long MailboxDays { get; init; }

    [JsonPropertyName("attacks")]
    public IReadOnlyList<TruthAttack> Attacks { get; init; } = [];

    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record TruthTenant
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("domain")]
    public string Domain { get; init; } = "";

    /// <summary>Mailbox owners' UPNs (user and shared mailboxes).</summary>
    [JsonPropertyName("mailboxes")]
    public IReadOnlyList<string> Mailboxes { get; init; } = [];
}

public sealed record TruthAttack
{
    /// <summary>The playbook's name (<c>forged-token</c>, <c>token-replay</c>, <c>bec-inbox-rule</c>,
    /// <c>consent-phish</c>, <c>app-impersonation</c>).</summary>
    [JsonPropertyName("playbook")]
    public string Playbook { get; init; } = "";

    /// <summary>Unique in the file, e.g. <c>forged-token-1</c>.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("tenant")]
    public string Tenant { get; init; } = "";

    /// <summary>Time of the attack's first malicious record (UTC).</summary>
    [JsonPropertyName("began")]
    public DateTime Began { get; init; }

    /// <summary>UPNs of the mailboxes the attacker read or changed.</summary>
    [JsonPropertyName("mailboxes")]
    public IReadOnlyList<string> Mailboxes { get; init; } = [];

    /// <summary>Record ids (UAL <c>Id</c>, sign-in <c>id</c>) of every record the attacker caused, in time order.</summary>
    [JsonPropertyName("malicious_record_ids")]
    public IReadOnlyList<string> MaliciousRecordIds { get; init; } = [];

    /// <summary>Per attacked mailbox UPN, the InternetMessageIds the attacker read one by one (listed in its
    /// Bind records: what a scan can name).</summary>
    [JsonPropertyName("exposed")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Exposed { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Per attacked mailbox UPN, the folders the attacker synchronized whole (every item in them
    /// was exposed; the audit log does not list them).</summary>
    [JsonPropertyName("synced_folders")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SyncedFolders { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>What the attacker looked like (addresses, application, user agent), for people reading the file.</summary>
    [JsonPropertyName("actor")]
    public IReadOnlyDictionary<string, string>? Actor { get; init; }
}
