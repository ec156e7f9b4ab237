using Forgewatch.Simulator.Evaluation;

namespace Forgewatch.Simulator.Tests.Evaluation;

/// <summary>Each metric of <see cref="ScanEvaluator"/>, on scans that should score well and scans that should not.</summary>
public sealed class ScanEvaluatorTests
{
    private const string Alice = "alice@contoso.onmicrosoft.com";
    private const string Bob = "bob@contoso.onmicrosoft.com";
    private const string Forged = "forged-token";

    /// <summary>One forged-token attack on Alice and Bob (records r1..r5) that read m1 in Alice's mailbox and m2 in Bob's.</summary>
    private static ScanFixture AttackOnAliceAndBob() => new ScanFixture().Attack(
        Forged, "forged-token-1", [Alice, Bob], ["r1", "r2", "r3", "r4", "r5"],
        new() { [Alice] = ["<m1@x>"], [Bob] = ["<m2@x>"] });

    private static PlaybookScore Only(ScanEvaluation evaluation) => Assert.Single(evaluation.Playbooks);

    [Fact]
    public void Evaluate_EverythingFoundAtFirstRecord_PerfectScores()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1", "r2")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Exposure("INC-1", Bob, "<m2@x>")
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(Forged, score.Playbook);
        Assert.Equal(1, score.Attacks);
        Assert.Equal(2, score.AttackedMailboxes);
        Assert.Equal(2, score.DetectedMailboxes);
        Assert.Equal(1.0, score.Recall);
        Assert.Equal(1.0, score.ExposureJaccard);
        Assert.Equal(0.0, score.FirstAlertRecordIndexMedian);
        Assert.Equal(0, score.UndetectedAttacks);
        Assert.Equal(0.0, score.FalseIncidentsPer1000MailboxDays);
        Assert.Equal(0, evaluation.Benign.FalseIncidents);
        Assert.Equal(1, evaluation.Benign.Incidents);
    }

    [Fact]
    public void Evaluate_IncidentMissesAMailbox_RecallHalf()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "medium", ["FW1002-a"], Alice)
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(1, score.DetectedMailboxes);
        Assert.Equal(0.5, score.Recall);
    }

    [Fact]
    public void Evaluate_NoIncident_RecallZero()
    {
        PlaybookScore score = Only(AttackOnAliceAndBob().Evaluate());

        Assert.Equal(0.0, score.Recall);
        Assert.Null(score.FirstAlertRecordIndexMedian);
        Assert.Equal(1, score.UndetectedAttacks);
    }

    [Fact]
    public void Evaluate_IncidentCitingAttackIsLow_NotADetection()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1001-a", 0, "r2")
            .Incident("INC-1", "low", ["FW1001-a"], Alice, Bob)
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(0.0, score.Recall);
        // The alert still cites the attack: the first-alert index does not depend on incidents.
        Assert.Equal(1.0, score.FirstAlertRecordIndexMedian);
    }

    [Fact]
    public void Evaluate_IncidentNamesMailboxButCitesNoRecordOfTheAttack_NotADetection()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-benign", 0, "benign-1")
            .Incident("INC-1", "high", ["FW1002-benign"], Alice, Bob)
            .Evaluate();

        Assert.Equal(0.0, Only(evaluation).Recall);
        Assert.Equal(["INC-1"], evaluation.Benign.FalseIncidentIds);
    }

    [Fact]
    public void Evaluate_IncidentOfATenantNotSimulated_NeitherFalseNorCounted()
    {
        // The simulated logs scanned together with other logs (the samples folder): other tenants'
        // incidents say nothing about the simulation.
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Alert("FW1007-elsewhere", 5, "other-1")
            .IncidentOf("3c9d7e10-6a2b-4f8e-9d41-0b5e7c2a9f13", "INC-2", "critical", ["FW1007-elsewhere"], "dave@fabrikam.example")
            .Evaluate();

        Assert.Equal(0, evaluation.Benign.FalseIncidents);
        Assert.Equal(1, evaluation.Benign.Incidents);
        Assert.Equal(1.0, Only(evaluation).Recall);
    }

    [Fact]
    public void Evaluate_BenignMediumIncident_CountsAsFalsePerBenignMailboxDay()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Alert("FW1004-b", 5, "benign-1", "benign-2")
            .Incident("INC-2", "medium", ["FW1004-b"], "carol@contoso.onmicrosoft.com")
            .Evaluate();

        // 1000 mailbox-days less 2 attacked mailboxes over 10 days.
        Assert.Equal(980, evaluation.Benign.BenignMailboxDays);
        Assert.Equal(1, evaluation.Benign.FalseIncidents);
        Assert.Equal(2, evaluation.Benign.Incidents);
        Assert.Equal(1000.0 / 980, evaluation.Benign.FalseIncidentsPer1000MailboxDays, 12);
        Assert.Equal(1000.0 / 980, Only(evaluation).FalseIncidentsPer1000MailboxDays, 12);
        Assert.Equal(1.0, Only(evaluation).Recall);
    }

    [Fact]
    public void Evaluate_BenignLowIncident_NotFalse()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1004-b", 5, "benign-1")
            .Incident("INC-2", "low", ["FW1004-b"], "carol@contoso.onmicrosoft.com")
            .Evaluate();

        Assert.Equal(0, evaluation.Benign.FalseIncidents);
        Assert.Equal(0, evaluation.Benign.Incidents);
        Assert.Equal(0.0, Only(evaluation).FalseIncidentsPer1000MailboxDays);
    }

    [Fact]
    public void Evaluate_MoreAttackedDaysThanMailboxDays_BenignDaysAtLeastOne()
    {
        ScanFixture fixture = AttackOnAliceAndBob()
            .Alert("FW1004-b", 5, "benign-1")
            .Incident("INC-2", "critical", ["FW1004-b"], "carol@contoso.onmicrosoft.com");
        fixture.MailboxDays = 5;

        ScanEvaluation evaluation = fixture.Evaluate();

        Assert.Equal(1, evaluation.Benign.BenignMailboxDays);
        Assert.Equal(1000.0, evaluation.Benign.FalseIncidentsPer1000MailboxDays);
    }

    [Fact]
    public void Evaluate_PartiallyReportedExposure_JaccardOfSets()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice], ["r1"], new() { [Alice] = ["<m1@x>", "<m2@x>", "<m3@x>", "<m4@x>"] })
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Exposure("INC-1", Alice, "<m2@x>")
            .Exposure("INC-1", Alice, "<m9@x>")
            .Evaluate();

        // |{m1,m2}| / |{m1,m2,m3,m4,m9}|
        Assert.Equal(0.4, Only(evaluation).ExposureJaccard!.Value, 12);
    }

    [Fact]
    public void Evaluate_JaccardAveragedOverMailboxes_NothingReadAndNothingClaimedCountsOne()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice, Bob], ["r1"], new() { [Alice] = ["<m1@x>", "<m2@x>"] })
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Evaluate();

        // Alice 1/2, Bob (no truth, nothing reported) 1.
        Assert.Equal(0.75, Only(evaluation).ExposureJaccard!.Value, 12);
    }

    [Fact]
    public void Evaluate_ExposureOfIncidentNotCitingTheAttack_NotCounted()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Alert("FW1004-b", 5, "benign-1")
            .Incident("INC-2", "medium", ["FW1004-b"], Alice)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Exposure("INC-1", Bob, "<m2@x>")
            .Exposure("INC-2", Alice, "<other@x>")
            .Evaluate();

        Assert.Equal(1.0, Only(evaluation).ExposureJaccard);
    }

    [Fact]
    public void Evaluate_ExposureOfLowIncidentCitingTheAttack_Counted()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1001-a", 0, "r1")
            .Incident("INC-1", "low", ["FW1001-a"], Alice)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Exposure("INC-1", Bob, "<m2@x>")
            .Evaluate();

        Assert.Equal(1.0, Only(evaluation).ExposureJaccard);
        Assert.Equal(0.0, Only(evaluation).Recall);
    }

    [Fact]
    public void Evaluate_SyncRowsWithoutMessageId_NotMessages()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Exposure("INC-1", Alice, "<m1@x>")
            .Exposure("INC-1", Alice, string.Empty)
            .Exposure("INC-1", Bob, "<m2@x>")
            .Evaluate();

        Assert.Equal(1.0, Only(evaluation).ExposureJaccard);
    }

    [Fact]
    public void Evaluate_NothingReported_JaccardZero()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Evaluate();

        Assert.Equal(0.0, Only(evaluation).ExposureJaccard);
    }

    [Fact]
    public void Evaluate_ApostrophePrefixedMessageId_Stripped()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice], ["r1"], new() { [Alice] = ["=cmd@x", "-m2@x", "'plain@x"] })
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice)
            .Exposure("INC-1", Alice, "'=cmd@x")
            .Exposure("INC-1", Alice, "'-m2@x")
            .Exposure("INC-1", Alice, "'plain@x")
            .Evaluate();

        Assert.Equal(1.0, Only(evaluation).ExposureJaccard);
    }

    [Fact]
    public void Evaluate_QuotedMessageIdWithComma_ReadWhole()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice], ["r1"], new() { [Alice] = ["<a,\"b\"@x>"] })
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice)
            .Exposure("INC-1", Alice, "\"<a,\"\"b\"\"@x>\"")
            .Evaluate();

        Assert.Equal(1.0, Only(evaluation).ExposureJaccard);
    }

    [Fact]
    public void Evaluate_MailboxAndRecordIdsInOtherCase_StillMatch()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", ["Alice@Contoso.onmicrosoft.com"], ["8B76C504-D0DA-4C88-9D55-898B7EB5B3FD"], new() { ["ALICE@contoso.onmicrosoft.com"] = ["<m1@x>"] })
            .Alert("FW1002-a", 0, "8b76c504-d0da-4c88-9d55-898b7eb5b3fd")
            .Incident("INC-1", "high", ["FW1002-a"], Alice)
            .Exposure("INC-1", "aLiCe@CONTOSO.onmicrosoft.com", "<m1@x>")
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(1.0, score.Recall);
        Assert.Equal(1.0, score.ExposureJaccard);
        Assert.Equal(0.0, score.FirstAlertRecordIndexMedian);
        Assert.Equal(0, evaluation.Benign.FalseIncidents);
    }

    [Fact]
    public void Evaluate_MailboxListedTwiceInOtherCase_CountedOnce()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice, "ALICE@contoso.onmicrosoft.com"], ["r1"])
            .Alert("FW1002-a", 0, "r1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice)
            .Evaluate();

        Assert.Equal(1, Only(evaluation).AttackedMailboxes);
        Assert.Equal(1.0, Only(evaluation).Recall);
        Assert.Equal(990, evaluation.Benign.BenignMailboxDays);
    }

    [Fact]
    public void Evaluate_FirstAlertCitesThirdMaliciousRecord_IndexTwo()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1002-early", 0, "benign-1", "r4", "r3")
            .Alert("FW1001-late", 30, "r1")
            .Evaluate();

        Assert.Equal(2.0, Only(evaluation).FirstAlertRecordIndexMedian);
    }

    [Fact]
    public void Evaluate_AlertsFirstSeenTogether_EarliestIsSmallestId()
    {
        ScanEvaluation evaluation = AttackOnAliceAndBob()
            .Alert("FW1003-b", 10, "r5")
            .Alert("FW1002-a", 10, "r4")
            .Evaluate();

        Assert.Equal(3.0, Only(evaluation).FirstAlertRecordIndexMedian);
    }

    [Fact]
    public void Evaluate_MedianOverAttacks_EvenCountAveragedAndUnalertedLeftOut()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice], ["a1", "a2", "a3"])
            .Attack(Forged, "forged-token-2", [Bob], ["b1", "b2", "b3"])
            .Attack(Forged, "forged-token-3", ["carol@contoso.onmicrosoft.com"], ["c1"])
            .Alert("FW1002-a", 0, "a2")
            .Alert("FW1002-b", 0, "b3")
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(1.5, score.FirstAlertRecordIndexMedian);
        Assert.Equal(3, score.Attacks);
        Assert.Equal(2, score.AlertedAttacks);
        Assert.Equal(1, score.UndetectedAttacks);
    }

    [Fact]
    public void Evaluate_TwoPlaybooks_EntryEachByNameAndOverall()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack("token-replay", "token-replay-1", [Bob], ["t1", "t2"])
            .Attack(Forged, "forged-token-1", [Alice], ["f1"])
            .Alert("FW1002-a", 0, "f1")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Evaluate();

        Assert.Equal([Forged, "token-replay"], evaluation.Playbooks.Select(p => p.Playbook));
        Assert.Equal(1.0, evaluation.Playbooks[0].Recall);
        // The incident names Bob, but cites no record of the token replay.
        Assert.Equal(0.0, evaluation.Playbooks[1].Recall);
        Assert.Null(evaluation.Playbooks[1].FirstAlertRecordIndexMedian);
        Assert.Equal(0.5, evaluation.Overall.Recall);
        Assert.Equal(2, evaluation.Overall.Attacks);
    }

    [Fact]
    public void Evaluate_RecordSharedByTwoAttacks_CreditsBoth()
    {
        ScanEvaluation evaluation = new ScanFixture()
            .Attack(Forged, "forged-token-1", [Alice], ["f1", "shared"])
            .Attack(Forged, "forged-token-2", [Bob], ["shared"])
            .Alert("FW1002-a", 0, "shared")
            .Incident("INC-1", "high", ["FW1002-a"], Alice, Bob)
            .Evaluate();

        PlaybookScore score = Only(evaluation);
        Assert.Equal(1.0, score.Recall);
        Assert.Equal(0.5, score.FirstAlertRecordIndexMedian);
    }
}
