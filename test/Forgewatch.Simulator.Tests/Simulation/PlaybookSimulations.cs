using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Tests.Simulation;

/// <summary>
/// Simulations with all five playbooks, made once for the tests of a class (an xUnit class fixture) and
/// read back with the real reader: the main one (30 mailboxes, 24 days, seed 11) and a few more seeds,
/// shapes and a two-tenant run, so that a playbook's facts hold beyond one draw of its randomness.
/// </summary>
public sealed class PlaybookSimulations : IDisposable
{
    internal static readonly string[] AllPlaybooks = ["forged-token", "token-replay", "bec-inbox-rule", "consent-phish", "app-impersonation"];

    internal static readonly SimulationOptions Main = new() { Mailboxes = 30, Days = 24, Seed = 11, Attacks = AllPlaybooks };

    public PlaybookSimulations()
    {
        Runs =
        [
            new PlaybookRun("seed 11", Main),
            new PlaybookRun("seed 13, purview-csv", Main with { Seed = 13, Shape = "purview-csv" }),
            new PlaybookRun("seed 15, management-api", Main with { Seed = 15, Shape = "management-api" }),
            new PlaybookRun("seed 12, 2 tenants of 40 mailboxes, 30 days", Main with { Seed = 12, Tenants = 2, Mailboxes = 40, Days = 30 }),
            new PlaybookRun("seed 16", Main with { Seed = 16 }),
        ];
    }

    internal IReadOnlyList<PlaybookRun> Runs { get; }

    /// <summary>Every attack of <paramref name="playbook"/> in every run.</summary>
    internal IEnumerable<(PlaybookRun Run, TruthAttack Attack)> Attacks(string playbook) =>
        Runs.SelectMany(run => run.Truth.Attacks.Where(a => a.Playbook == playbook).Select(a => (run, a)));

    public void Dispose()
    {
        foreach (PlaybookRun run in Runs)
        {
            run.Dispose();
        }
    }
}

/// <summary>One simulation read back, with its events indexed by record id and split into malicious and benign.</summary>
internal sealed class PlaybookRun : IDisposable
{
    private readonly SimulatedTenant _tenant;
    private readonly Lazy<Dictionary<string, string>> _servicePrincipals;

    public PlaybookRun(string name, SimulationOptions options)
    {
        Name = name;
        _tenant = SimulatedTenant.Create(options);
        ById = new Dictionary<string, AuditEvent>(StringComparer.OrdinalIgnoreCase);
        foreach (AuditEvent e in _tenant.Events)
        {
            ById.TryAdd(e.RecordId, e);
        }

        MaliciousIds = new HashSet<string>(_tenant.Truth.Attacks.SelectMany(a => a.MaliciousRecordIds), StringComparer.OrdinalIgnoreCase);
        _servicePrincipals = new Lazy<Dictionary<string, string>>(ReadServicePrincipalIds);
    }

    public string Name { get; }

    public string Directory => _tenant.Directory;

    public TruthFile Truth => _tenant.Truth;

    public List<AuditEvent> Events => _tenant.Events;

    public List<Sources.Pipeline.Rejection> Rejections => _tenant.Rejections;

    public Dictionary<string, AuditEvent> ById { get; }

    /// <summary>The record ids of every attack of the run.</summary>
    public HashSet<string> MaliciousIds { get; }

    /// <summary>Records no attack caused.</summary>
    public IEnumerable<AuditEvent> Benign => Events.Where(e => !MaliciousIds.Contains(e.RecordId));

    /// <summary>The attack's malicious records found in the logs, in the truth's order.</summary>
    public List<AuditEvent> MaliciousEvents(TruthAttack attack) =>
        [.. attack.MaliciousRecordIds.Where(ById.ContainsKey).Select(id => ById[id])];

    public TruthTenant TenantOf(TruthAttack attack) => Truth.Tenants.Single(t => t.Id == attack.Tenant);

    /// <summary>The <c>servicePrincipalId</c> of a service principal sign-in, which the reader does not keep,
    /// from the sign-in log as written; null for other sign-ins.</summary>
    public string? ServicePrincipalId(string signInId) => _servicePrincipals.Value.GetValueOrDefault(signInId);

    public override string ToString() => Name;

    public void Dispose() => _tenant.Dispose();

    /// <summary>Sign-in ids to service principal ids, from <c>signins.jsonl</c> or the Graph pages
    /// (<c>signins/page-*.json</c>); malformed lines and pages are skipped.</summary>
    private Dictionary<string, string> ReadServicePrincipalIds()
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Truth.Files.Where(f => f.Contains("signins", StringComparison.Ordinal)))
        {
            string path = Path.Combine(Directory, file);
            IEnumerable<string> documents = file.EndsWith(".jsonl", StringComparison.Ordinal) ? File.ReadLines(path) : [File.ReadAllText(path)];
            foreach (string text in documents)
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(text);
                }
                catch (JsonException)
                {
                    continue;
                }

                using (document)
                {
                    JsonElement root = document.RootElement;
                    IEnumerable<JsonElement> signIns = root.TryGetProperty("value", out JsonElement page) ? page.EnumerateArray() : [root];
                    foreach (JsonElement signIn in signIns)
                    {
                        if (signIn.TryGetProperty("servicePrincipalId", out JsonElement sp) && signIn.TryGetProperty("id", out JsonElement id))
                        {
                            ids[id.GetString()!] = sp.GetString()!;
                        }
                    }
                }
            }
        }

        return ids;
    }
}
