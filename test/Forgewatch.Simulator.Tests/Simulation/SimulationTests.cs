using System.Globalization;
using Forgewatch.Core.Events;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Tests.Simulation;

public sealed class SimulationTests
{
    private static readonly SimulationOptions Small = new() { Mailboxes = 14, Days = 21, Seed = 7, Attacks = ["forged-token"] };

    [Fact]
    public void Run_SameSeed_WritesTheSameBytes()
    {
        using var first = SimulatedTenant.Create(Small);
        using var second = SimulatedTenant.Create(Small);
        foreach (string file in first.Truth.Files.Append(Forgewatch.Simulator.Simulation.TruthFileName))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Directory, file)), File.ReadAllBytes(Path.Combine(second.Directory, file)));
        }
    }

    [Fact]
    public void Run_AnotherSeed_WritesOtherRecords()
    {
        using var first = SimulatedTenant.Create(Small);
        using var other = SimulatedTenant.Create(Small with { Seed = 8 });
        Assert.NotEqual(
            File.ReadAllBytes(Path.Combine(first.Directory, first.Truth.Files[0])),
            File.ReadAllBytes(Path.Combine(other.Directory, other.Truth.Files[0])));
    }

    [Fact]
    public void Run_ReadBack_EveryRecordReadAndOnlyTheMalformedRejected()
    {
        using var tenant = SimulatedTenant.Create(Small with { Days = 30 });
        long written = tenant.Truth.Records.Values.Sum();
        Assert.True(tenant.Truth.MalformedLines > 0, "a month of logs has some malformed lines");
        Assert.Equal(tenant.Truth.MalformedLines, tenant.Rejections.Count);
        Assert.All(tenant.Rejections, r => Assert.Equal("invalid_json", r.Code));
        Assert.Equal(written - tenant.Truth.MalformedLines, tenant.Events.Count);
        Assert.Equal(tenant.Events.Count, tenant.Events.Select(e => e.RecordId).Distinct().Count());
    }

    [Fact]
    public void Run_MorePeopleThanBenignAddresses_RefusedBeforeWritingAnything()
    {
        string directory = Path.Combine(Path.GetTempPath(), "fw-sim-test-" + Guid.NewGuid().ToString("N"));

        ArgumentException e = Assert.Throws<ArgumentException>(() => Forgewatch.Simulator.Simulation.Run(new SimulationOptions { Tenants = 700, Mailboxes = 100, Days = 1 }, directory));

        Assert.Contains("--tenants times --mailboxes", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void Run_Records_StayInsideThePeriod()
    {
        using var tenant = SimulatedTenant.Create(Small);
        Assert.All(tenant.Events, e => Assert.InRange(e.Time, tenant.Truth.Start, tenant.Truth.End.AddTicks(-1)));
        Assert.Equal(tenant.Truth.Start.AddDays(tenant.Truth.Days), tenant.Truth.End);
    }

    [Fact]
    public void Truth_MaliciousRecords_AreInTheLogsInTimeOrder()
    {
        using var tenant = SimulatedTenant.Create(Small);
        Dictionary<string, AuditEvent> byId = tenant.Events.ToDictionary(e => e.RecordId, StringComparer.OrdinalIgnoreCase);
        TruthAttack attack = Assert.Single(tenant.Truth.Attacks);
        Assert.NotEmpty(attack.MaliciousRecordIds);
        List<AuditEvent> malicious = [.. attack.MaliciousRecordIds.Select(id => byId[id])];
        Assert.Equal(attack.Began, malicious[0].Time);
        Assert.True(malicious.Zip(malicious.Skip(1)).All(p => p.First.Time <= p.Second.Time), "malicious records are listed in time order");
        Assert.All(malicious, e => Assert.Equal(attack.Tenant, e.TenantId));
    }

    [Fact]
    public void Truth_Exposure_IsWhatTheAttackersBindRecordsList()
    {
        using var tenant = SimulatedTenant.Create(Small);
        TruthAttack attack = Assert.Single(tenant.Truth.Attacks);
        var malicious = new HashSet<string>(attack.MaliciousRecordIds, StringComparer.OrdinalIgnoreCase);
        List<MailAccessEvent> reads = [.. tenant.Events.OfType<MailAccessEvent>().Where(e => malicious.Contains(e.RecordId))];
        foreach (string mailbox in attack.Mailboxes)
        {
            IEnumerable<string> listed = reads
                .Where(e => string.Equals(e.MailboxOwner, mailbox, StringComparison.OrdinalIgnoreCase) && e.AccessType == MailAccessType.Bind)
                .SelectMany(e => e.Folders).SelectMany(f => f.InternetMessageIds);
            Assert.Equal(attack.Exposed[mailbox].Order(StringComparer.Ordinal), listed.Distinct().Order(StringComparer.Ordinal));
            IEnumerable<string?> synced = reads
                .Where(e => string.Equals(e.MailboxOwner, mailbox, StringComparison.OrdinalIgnoreCase) && e.AccessType == MailAccessType.Sync)
                .SelectMany(e => e.Folders).Select(f => f.Path);
            Assert.Equal(attack.SyncedFolders[mailbox].Order(StringComparer.Ordinal), synced.Distinct().Order(StringComparer.Ordinal));
        }

        Assert.All(attack.Mailboxes, m => Assert.Contains(m, tenant.Truth.Tenants[0].Mailboxes));
    }

    [Fact]
    public void ForgedToken_Sessions_NoSignInCreatedThem_AndTheAppNeverReadMailBefore()
    {
        using var tenant = SimulatedTenant.Create(Small);
        TruthAttack attack = Assert.Single(tenant.Truth.Attacks);
        var malicious = new HashSet<string>(attack.MaliciousRecordIds, StringComparer.OrdinalIgnoreCase);
        List<MailAccessEvent> reads = [.. tenant.Events.OfType<MailAccessEvent>().Where(e => malicious.Contains(e.RecordId))];
        var signedIn = tenant.Events.OfType<SignInEvent>().SelectMany(s => new[] { s.SessionId, s.UniqueTokenId }).Where(x => x is not null).ToHashSet();
        Assert.All(reads, r =>
        {
            Assert.DoesNotContain(r.AadSessionId, signedIn);
            Assert.DoesNotContain(r.UniqueTokenId, signedIn);
            Assert.InRange(r.Time.Hour, 0, 8);
            Assert.NotEqual(DayOfWeek.Saturday, r.Time.DayOfWeek);
            Assert.NotEqual(DayOfWeek.Sunday, r.Time.DayOfWeek);
        });
        string app = Assert.Single(reads.Select(r => r.AppId).Distinct())!;
        Assert.DoesNotContain(tenant.Events.OfType<MailAccessEvent>(), e => e.AppId == app && !malicious.Contains(e.RecordId));
        Assert.Contains(reads, r => r.AccessType == MailAccessType.Sync);
        Assert.Contains(reads, r => r.AccessType == MailAccessType.Bind);
    }

    [Fact]
    public void Benign_MailAccess_CarriesASessionAndTokenItsUserSignedInWithBefore()
    {
        using var tenant = SimulatedTenant.Create(Small with { Attacks = [] });
        var signIns = new Dictionary<string, SignInEvent>(StringComparer.Ordinal);
        foreach (SignInEvent s in tenant.Events.OfType<SignInEvent>())
        {
            signIns[s.UniqueTokenId!] = s;
        }

        List<MailAccessEvent> reads = [.. tenant.Events.OfType<MailAccessEvent>()];
        Assert.NotEmpty(reads);
        foreach (MailAccessEvent read in reads)
        {
            SignInEvent signIn = signIns[read.UniqueTokenId!];
            Assert.True(signIn.Time <= read.Time, string.Create(CultureInfo.InvariantCulture, $"token of {read.RecordId} issued after the read"));
            if (read.AadSessionId is { } session)
            {
                Assert.Equal(session, signIn.SessionId);
                Assert.Equal(read.UserId, signIn.UserId, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Benign_HardCases_ArePresent()
    {
        using var tenant = SimulatedTenant.Create(new SimulationOptions { Mailboxes = 60, Days = 30, Seed = 3 });
        List<MailAccessEvent> reads = [.. tenant.Events.OfType<MailAccessEvent>()];
        Assert.Contains(reads, r => r.LogonType == 2);
        Assert.Contains(reads, r => r.IsThrottled);
        Assert.Contains(reads, r => r.AadSessionId is null);
        Assert.Contains(tenant.Events.OfType<SignInEvent>(), s => s.Log == LogKind.EntraServicePrincipalSignIn);

        // People read from more than one address over the month (phones, trips), and in several time zones.
        int movers = reads.Where(r => r.AadSessionId is not null).GroupBy(r => r.UserId).Count(g => g.Select(r => r.ClientAddress).Distinct().Count() > 2);
        Assert.True(movers >= 5, $"{movers} users read from more than two addresses");
        int startHours = reads.Where(r => r.AadSessionId is not null).GroupBy(r => (r.UserId, r.Time.Date)).Select(g => g.Min(r => r.Time).Hour).Distinct().Count();
        Assert.True(startHours >= 4, $"first reads of the day fall in {startHours} distinct UTC hours");
    }
}
