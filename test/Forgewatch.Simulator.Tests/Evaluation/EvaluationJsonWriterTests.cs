using System.Text.Json;
using Forgewatch.Simulator.Evaluation;

namespace Forgewatch.Simulator.Tests.Evaluation;

/// <summary>evaluation.json keeps the names scripts depend on.</summary>
public sealed class EvaluationJsonWriterTests
{
    private static JsonDocument Written(ScanEvaluation evaluation)
    {
        string folder = Directory.CreateTempSubdirectory("fw-eval-json-").FullName;
        string path = EvaluationJsonWriter.Write(folder, evaluation);
        Assert.Equal(Path.Combine(folder, "evaluation.json"), path);
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    [Fact]
    public void Write_ScoredScan_PlaybooksWithTheFourMetricsAndCounts()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack("forged-token", "forged-token-1", ["alice@contoso.onmicrosoft.com"], ["r1", "r2", "r3"], new() { ["alice@contoso.onmicrosoft.com"] = ["<m1@x>"] })
            .Alert("FW1002-a", 0, "r3")
            .Incident("INC-1", "high", ["FW1002-a"], "alice@contoso.onmicrosoft.com")
            .Exposure("INC-1", "alice@contoso.onmicrosoft.com", "<m1@x>")
            .Alert("FW1004-b", 1, "benign")
            .Incident("INC-2", "medium", ["FW1004-b"], "bob@contoso.onmicrosoft.com")
            .Evaluate();

        using JsonDocument json = Written(evaluation);

        JsonElement root = json.RootElement;
        JsonElement playbook = root.GetProperty("playbooks").GetProperty("forged-token");
        Assert.Equal(1.0, playbook.GetProperty("recall").GetDouble());
        Assert.Equal(1000.0 / 990, playbook.GetProperty("false_incidents_per_1000_mailbox_days").GetDouble(), 12);
        Assert.Equal(1.0, playbook.GetProperty("exposure_jaccard").GetDouble());
        Assert.Equal(2, playbook.GetProperty("first_alert_record_index_median").GetInt32());
        Assert.Equal(1, playbook.GetProperty("attacks").GetInt32());
        Assert.Equal(1, playbook.GetProperty("attacked_mailboxes").GetInt32());
        Assert.Equal(1, playbook.GetProperty("detected_mailboxes").GetInt32());
        Assert.Equal(0, playbook.GetProperty("undetected_attacks").GetInt32());
        Assert.Equal("forgewatch-evaluation/1", root.GetProperty("format").GetString());
        Assert.Equal(1.0, root.GetProperty("overall").GetProperty("recall").GetDouble());
        Assert.Equal(1, root.GetProperty("benign").GetProperty("false_incidents").GetInt32());
        Assert.Equal(990, root.GetProperty("benign").GetProperty("benign_mailbox_days").GetInt64());
        Assert.Equal(["INC-2"], root.GetProperty("benign").GetProperty("false_incident_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1000.0 / 990, root.GetProperty("false_incidents_per_1000_mailbox_days").GetDouble(), 12);
    }

    [Fact]
    public void Write_NoAttackAlertedNoMailbox_MetricsNull()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack("consent-phish", "consent-phish-1", [], ["c1"])
            .Evaluate();

        using JsonDocument json = Written(evaluation);

        JsonElement playbook = json.RootElement.GetProperty("playbooks").GetProperty("consent-phish");
        Assert.Equal(JsonValueKind.Null, playbook.GetProperty("recall").ValueKind);
        Assert.Equal(JsonValueKind.Null, playbook.GetProperty("exposure_jaccard").ValueKind);
        Assert.Equal(JsonValueKind.Null, playbook.GetProperty("first_alert_record_index_median").ValueKind);
        Assert.Equal(1, playbook.GetProperty("undetected_attacks").GetInt32());
    }
}
