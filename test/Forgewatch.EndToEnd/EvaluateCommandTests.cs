using System.Text.Json;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.EndToEnd;

/// <summary><c>forgewatch evaluate</c> as a script runs it: a truth file and a scan's output folder in, a table and evaluation.json out.</summary>
public sealed class EvaluateCommandTests
{
    private const string Alice = "alice@contoso.onmicrosoft.com";
    private const string Bob = "bob@contoso.onmicrosoft.com";

    /// <summary>A forged-token attack on Alice and Bob caught for Alice only, at its second record, with
    /// half of Alice's exposure reported; a token replay never alerted on; one false medium incident.</summary>
    private static (string Truth, string Results) Fixture()
    {
        string folder = Directory.CreateTempSubdirectory("fw-e2e-eval-").FullName;
        string results = Path.Combine(folder, "out");
        Directory.CreateDirectory(results);
        var truth = new TruthFile
        {
            Start = new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc),
            End = new DateTime(2023, 6, 11, 0, 0, 0, DateTimeKind.Utc),
            Days = 10,
            MailboxDays = 1000,
            Tenants = [new TruthTenant { Id = "t1", Domain = "contoso.onmicrosoft.com", Mailboxes = [Alice, Bob] }],
            Attacks =
            [
                new TruthAttack
                {
                    Playbook = "forged-token", Id = "forged-token-1", Tenant = "t1", Mailboxes = [Alice, Bob],
                    MaliciousRecordIds = ["r1", "r2", "r3"],
                    Exposed = new Dictionary<string, IReadOnlyList<string>> { [Alice] = ["<m1@x>", "=m2@x"] },
                },
                new TruthAttack { Playbook = "token-replay", Id = "token-replay-1", Tenant = "t1", Mailboxes = [Bob], MaliciousRecordIds = ["t1"] },
            ],
        };
        string truthPath = Path.Combine(folder, "truth.json");
        File.WriteAllText(truthPath, JsonSerializer.Serialize(truth, TruthFile.SerializerOptions));
        File.WriteAllText(Path.Combine(results, "alerts.jsonl"),
            """{"id":"FW1002-a","first_seen":"2023-06-02T01:00:00Z","evidence_ids":["R2","r3"],"incident":"INC-1"}""" + "\n"
            + """{"id":"FW1004-b","first_seen":"2023-06-03T01:00:00Z","evidence_ids":["benign"],"incident":"INC-2"}""" + "\n");
        File.WriteAllText(Path.Combine(results, "incidents.jsonl"),
            """{"id":"INC-1","tenant":"t1","severity":"critical","alert_ids":["FW1002-a"],"mailboxes":["ALICE@contoso.onmicrosoft.com"]}""" + "\n"
            + """{"id":"INC-2","tenant":"t1","severity":"medium","alert_ids":["FW1004-b"],"mailboxes":["carol@contoso.onmicrosoft.com"]}""" + "\n");
        File.WriteAllText(Path.Combine(results, "exposure.csv"),
            "tenant,incident,mailbox,folder,internet_message_id,access_type,time,throttled,record_id\r\n"
            + $"t1,INC-1,{Alice},\\Inbox,'=m2@x,Bind,2023-06-02T01:00:00Z,false,r2\r\n"
            + $"t1,INC-1,{Alice},\\Inbox,,Sync,2023-06-02T01:00:00Z,false,r3\r\n");
        return (truthPath, results);
    }

    [Fact]
    public void Evaluate_ScanOutputs_TableAndEvaluationJson()
    {
        (string truth, string results) = Fixture();

        CliResult result = CliRunner.Run("evaluate", "--truth", truth, "--results", results);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Evaluation against the truth", result.Stdout, StringComparison.Ordinal);
        // Cells: attacks, mailboxes detected, recall, false incidents per 1000 mailbox-days, Jaccard, first-alert index, not alerted.
        const string Cell = @"[\s│|]+";
        Assert.Matches($"forged-token{Cell}1{Cell}1 of 2{Cell}0\\.500{Cell}1\\.020{Cell}0\\.750{Cell}1{Cell}0{Cell}", result.Stdout);
        Assert.Matches($"token-replay{Cell}1{Cell}0 of 1{Cell}0\\.000{Cell}1\\.020{Cell}1\\.000{Cell}-{Cell}1{Cell}", result.Stdout);
        Assert.Matches($"overall{Cell}2{Cell}1 of 3{Cell}0\\.333{Cell}", result.Stdout);
        Assert.Contains("False incidents: 1 of 2 incidents", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("evaluation.json", result.Stdout, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "evaluation.json")));
        JsonElement forged = json.RootElement.GetProperty("playbooks").GetProperty("forged-token");
        Assert.Equal(0.5, forged.GetProperty("recall").GetDouble());
        Assert.Equal(1000.0 / 980, forged.GetProperty("false_incidents_per_1000_mailbox_days").GetDouble(), 12);
        // Alice 1/2 (m2 reported, m1 not), Bob 1 (nothing exposed, nothing reported).
        Assert.Equal(0.75, forged.GetProperty("exposure_jaccard").GetDouble(), 12);
        Assert.Equal(1, forged.GetProperty("first_alert_record_index_median").GetDouble());
        JsonElement replay = json.RootElement.GetProperty("playbooks").GetProperty("token-replay");
        Assert.Equal(0.0, replay.GetProperty("recall").GetDouble());
        Assert.Equal(JsonValueKind.Null, replay.GetProperty("first_alert_record_index_median").ValueKind);
        Assert.Equal(1, replay.GetProperty("undetected_attacks").GetInt32());
        Assert.Equal(1000.0 / 980, json.RootElement.GetProperty("false_incidents_per_1000_mailbox_days").GetDouble(), 12);
    }

    [Fact]
    public void Evaluate_MissingTruthFile_ExitTwoNamingIt()
    {
        (_, string results) = Fixture();
        string missing = Path.Combine(results, "no-such-truth.json");

        CliResult result = CliRunner.Run("evaluate", "--truth", missing, "--results", results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"forgewatch: {missing}: no such file", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(results, "evaluation.json")));
    }

    [Fact]
    public void Evaluate_MalformedIncidentLine_ExitTwoNamingFileAndLine()
    {
        (string truth, string results) = Fixture();
        File.AppendAllText(Path.Combine(results, "incidents.jsonl"), "{not json\n");

        CliResult result = CliRunner.Run("evaluate", "--truth", truth, "--results", results);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("incidents.jsonl, line 3: not valid JSON", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoTruthOption_UsageErrorExitTwo()
    {
        CliResult result = CliRunner.Run("evaluate", "--results", Path.GetTempPath());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--truth", result.Stderr, StringComparison.Ordinal);
    }
}
