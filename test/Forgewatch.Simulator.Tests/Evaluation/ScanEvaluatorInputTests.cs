using Forgewatch.Simulator.Evaluation;

namespace Forgewatch.Simulator.Tests.Evaluation;

/// <summary>Inputs <see cref="ScanEvaluator"/> must refuse, each with a message naming the file (and line).</summary>
public sealed class ScanEvaluatorInputTests
{
    private static ScanFixture Valid() => new ScanFixture()
        .Attack("forged-token", "forged-token-1", ["alice@contoso.onmicrosoft.com"], ["r1"])
        .Alert("FW1002-a", 0, "r1")
        .Incident("INC-1", "high", ["FW1002-a"], "alice@contoso.onmicrosoft.com")
        .Write();

    private static EvaluationInputException Refused(ScanFixture fixture) =>
        Assert.Throws<EvaluationInputException>(() => ScanEvaluator.Evaluate(fixture.TruthPath, fixture.Results));

    [Fact]
    public void Evaluate_TruthFileMissing_NamesIt()
    {
        ScanFixture fixture = Valid();
        File.Delete(fixture.TruthPath);

        EvaluationInputException e = Refused(fixture);

        Assert.Equal(fixture.TruthPath, e.Path);
        Assert.Contains("no such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthIsAFolder_SaysSo()
    {
        ScanFixture fixture = Valid();

        EvaluationInputException e = Assert.Throws<EvaluationInputException>(() => ScanEvaluator.Evaluate(fixture.Results, fixture.Results));

        Assert.Contains("is a folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthOfAnotherFormat_RefusedNamingBoth()
    {
        ScanFixture fixture = Valid();
        fixture.Format = "forgewatch-truth/2";
        fixture.Write();

        EvaluationInputException e = Refused(fixture);

        Assert.Contains("forgewatch-truth/2", e.Message, StringComparison.Ordinal);
        Assert.Contains("forgewatch-truth/1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthWithoutFormat_Refused()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(fixture.TruthPath, """{"attacks":[]}""");

        Assert.Contains("no \"format\"", Refused(fixture).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthNotJson_Refused()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(fixture.TruthPath, "{\"format\":");

        Assert.Contains("not valid truth JSON", Refused(fixture).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthAttackWithNullRecords_Refused()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(fixture.TruthPath, """{"format":"forgewatch-truth/1","attacks":[{"playbook":"forged-token","id":"x","malicious_record_ids":null}]}""");

        Assert.Contains("malicious_record_ids", Refused(fixture).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ResultsFolderMissing_NamesIt()
    {
        ScanFixture fixture = Valid();
        Directory.Delete(fixture.Results, recursive: true);

        Assert.Equal(fixture.Results, Refused(fixture).Path);
    }

    [Theory]
    [InlineData("alerts.jsonl")]
    [InlineData("incidents.jsonl")]
    [InlineData("exposure.csv")]
    public void Evaluate_ScanOutputMissing_NamesIt(string name)
    {
        ScanFixture fixture = Valid();
        File.Delete(Path.Combine(fixture.Results, name));

        EvaluationInputException e = Refused(fixture);

        Assert.Equal(Path.Combine(fixture.Results, name), e.Path);
    }

    [Fact]
    public void Evaluate_MalformedAlertLine_NamesFileAndLine()
    {
        ScanFixture fixture = Valid();
        string alerts = Path.Combine(fixture.Results, "alerts.jsonl");
        File.AppendAllText(alerts, "\n{\"id\": \"FW1002-b\", \"first_seen\n");

        EvaluationInputException e = Refused(fixture);

        Assert.Equal(alerts, e.Path);
        Assert.Equal(3, e.Line);
        Assert.StartsWith(alerts + ", line 3: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AlertWithoutEvidence_NamesMember()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(Path.Combine(fixture.Results, "alerts.jsonl"), """{"id":"FW1002-a","first_seen":"2023-06-02T00:00:00Z"}""" + "\n");

        EvaluationInputException e = Refused(fixture);

        Assert.Equal(1, e.Line);
        Assert.Contains("'evidence_ids'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnknownSeverity_NamesLine()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(Path.Combine(fixture.Results, "incidents.jsonl"), """{"id":"INC-1","severity":"severe","alert_ids":[],"mailboxes":[]}""" + "\n");

        EvaluationInputException e = Refused(fixture);

        Assert.Equal(1, e.Line);
        Assert.Contains("'severe'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_IncidentWithAlertNotInAlertsFile_Refused()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(Path.Combine(fixture.Results, "alerts.jsonl"), string.Empty);

        EvaluationInputException e = Refused(fixture);

        Assert.Contains("FW1002-a", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("incidents.jsonl", e.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExposureWithoutMessageColumn_Refused()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(Path.Combine(fixture.Results, "exposure.csv"), "tenant,incident,mailbox\r\n");

        Assert.Contains("'internet_message_id'", Refused(fixture).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExposureRowWithMissingColumns_Refused()
    {
        ScanFixture fixture = Valid();
        File.AppendAllText(Path.Combine(fixture.Results, "exposure.csv"), "t,INC-1\r\n");

        EvaluationInputException e = Refused(fixture);

        Assert.EndsWith("exposure.csv", e.Path, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Evaluate_EmptyOutputs_Scored()
    {
        ScanFixture fixture = Valid();
        File.WriteAllText(Path.Combine(fixture.Results, "alerts.jsonl"), string.Empty);
        File.WriteAllText(Path.Combine(fixture.Results, "incidents.jsonl"), string.Empty);

        ScanEvaluation evaluation = ScanEvaluator.Evaluate(fixture.TruthPath, fixture.Results);

        Assert.Equal(0.0, Assert.Single(evaluation.Playbooks).Recall);
    }
}
