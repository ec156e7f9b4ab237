using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Exposure;

public sealed class ExposureCollectorTests
{
    private readonly Scenario _records = new();

    /// <summary>One incident in <see cref="Scenario.Tenant"/> whose actor is <see cref="Scenario.AttackerIp"/>
    /// and session <c>sess-x</c>.</summary>
    private Incident IncidentOfAttacker()
    {
        var collector = new AlertCollector(TimeSpan.FromHours(24));
        collector.Raise("FW1002", "t", new Finding
        {
            Evidence = _records.Read(At(20, 9), session: "sess-x", id: "alert-evidence"),
            Tenant = Tenant,
            Group = "sess-x",
            Severity = Severity.High,
            Confidence = Confidence.High,
            Reason = "seen",
            Mailbox = Bob,
            Actor = ActorScope.Ip | ActorScope.Session,
        });
        return Assert.Single(IncidentBuilder.Build(collector.Alerts));
    }

    private static ExposureCollector Observe(Incident incident, params AuditEvent[] events)
    {
        var exposure = new ExposureCollector([incident]);
        foreach (AuditEvent e in events)
        {
            exposure.Observe(e, e.TenantId!);
        }

        exposure.Finish();
        return exposure;
    }

    [Fact]
    public void Observe_BindRecord_OneLinePerMessageReadInEachFolder()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent bind = _records.Read(
            At(20, 10), folders: [Folder("\\Inbox", "<m1@x>", "<m2@x>"), Folder("\\Sent Items", "<m3@x>")], id: "bind");

        ExposureCollector exposure = Observe(incident, bind);

        Assert.Equal(
            [("\\Inbox", "<m1@x>"), ("\\Inbox", "<m2@x>"), ("\\Sent Items", "<m3@x>")],
            exposure.Entries.Select(e => (e.Folder, e.InternetMessageId)));
        Assert.All(exposure.Entries, e =>
        {
            Assert.Equal(MailAccessType.Bind, e.AccessType);
            Assert.Equal("bind", e.RecordId);
            Assert.Equal(incident.Id, e.Incident);
            Assert.Equal(Tenant, e.Tenant);
            Assert.Equal(Bob, e.Mailbox);
            Assert.False(e.Throttled);
        });
        MailboxExposure mailbox = Assert.Single(incident.Exposure);
        Assert.Equal(Bob, mailbox.Mailbox);
        Assert.Equal(3, mailbox.Messages);
        Assert.Equal(0, mailbox.FoldersSynced);
        Assert.Equal(2, mailbox.Folders);
        Assert.Equal(1, mailbox.Records);
    }

    [Fact]
    public void Observe_SyncRecord_OneLinePerFolderWithEmptyMessageId()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent sync = _records.Sync(At(20, 10), ["\\Inbox", "\\Archive", "\\Finance"], id: "sync");

        ExposureCollector exposure = Observe(incident, sync);

        Assert.Equal(["\\Inbox", "\\Archive", "\\Finance"], exposure.Entries.Select(e => e.Folder));
        Assert.All(exposure.Entries, e =>
        {
            Assert.Equal(string.Empty, e.InternetMessageId);
            Assert.Equal(MailAccessType.Sync, e.AccessType);
        });
        MailboxExposure mailbox = Assert.Single(incident.Exposure);
        Assert.Equal(3, mailbox.FoldersSynced);
        Assert.Equal(0, mailbox.Messages);
    }

    [Fact]
    public void Observe_BindNamingNoMessageThenSyncOfSameFolder_TwoLinesAndOneFolderSynced()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent bind = _records.Read(At(20, 10), folders: [Folder("\\Inbox")], id: "bind");
        MailAccessEvent sync = _records.Sync(At(20, 11), ["\\Inbox"], id: "sync");
        MailAccessEvent syncAgain = _records.Sync(At(20, 12), ["\\Inbox"], id: "sync-again");

        ExposureCollector exposure = Observe(incident, bind, sync, syncAgain);

        Assert.Equal([("bind", MailAccessType.Bind), ("sync", MailAccessType.Sync)], exposure.Entries.Select(e => (e.RecordId, e.AccessType)));
        Assert.All(exposure.Entries, e => Assert.Equal(string.Empty, e.InternetMessageId));
        MailboxExposure mailbox = Assert.Single(incident.Exposure);
        Assert.Equal(1, mailbox.FoldersSynced);
        Assert.Equal(1, mailbox.Folders);
        Assert.Equal(3, mailbox.Records);
    }

    [Fact]
    public void Observe_ThrottledRecord_LinesAndMailboxFlagged()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent throttled = _records.Read(At(20, 10), folders: [Folder("\\Inbox", "<m1@x>")], throttled: true);

        ExposureCollector exposure = Observe(incident, throttled);

        Assert.True(Assert.Single(exposure.Entries).Throttled);
        Assert.True(Assert.Single(incident.Exposure).Throttled);
    }

    [Fact]
    public void Observe_MessageReadAgain_ListedOnceAndLaterThrottlingMarksIt()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent first = _records.Read(At(20, 10), folders: [Folder("\\Inbox", "<m1@x>", "<m2@x>")], id: "first");
        MailAccessEvent again = _records.Read(At(20, 11), folders: [Folder("\\Inbox", "<m1@x>")], throttled: true, id: "again");

        ExposureCollector exposure = Observe(incident, first, again);

        Assert.Equal(2, exposure.Entries.Count);
        ExposureEntry m1 = Assert.Single(exposure.Entries, e => e.InternetMessageId == "<m1@x>");
        Assert.Equal("first", m1.RecordId);
        Assert.True(m1.Throttled);
        MailboxExposure mailbox = Assert.Single(incident.Exposure);
        Assert.Equal(2, mailbox.Messages);
        Assert.Equal(2, mailbox.Records);
        Assert.Equal(At(20, 10), mailbox.First);
        Assert.Equal(At(20, 11), mailbox.Last);
    }

    [Fact]
    public void Observe_SameAddressInAnotherTenant_NotMatched()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent elsewhere = _records.Read(At(20, 10), mailbox: "dan@fabrikam.com", tenant: OtherTenant, session: "sess-x");

        ExposureCollector exposure = Observe(incident, elsewhere);

        Assert.Empty(exposure.Entries);
        Assert.Empty(incident.Exposure);
    }

    [Fact]
    public void Observe_RecordMatchingByKeyKind_OnlyActorKeysMatch()
    {
        Incident incident = IncidentOfAttacker();
        MailAccessEvent bySession = _records.Read(At(20, 10), mailbox: Alice, ip: HomeIp, session: "SESS-X", id: "by-session");
        MailAccessEvent byIp = _records.Read(At(20, 11), mailbox: "carol@contoso.com", app: OutlookDesktop, id: "by-ip");
        MailAccessEvent stranger = _records.Read(At(20, 12), mailbox: "dave@contoso.com", ip: HomeIp, session: "sess-y", id: "stranger");

        ExposureCollector exposure = Observe(incident, bySession, byIp, stranger);

        Assert.Equal(["by-session", "by-ip"], exposure.Entries.Select(e => e.RecordId));
        Assert.Equal([Alice, "carol@contoso.com"], incident.Exposure.Select(m => m.Mailbox));
    }

    [Fact]
    public void Observe_NotMailAccess_Ignored()
    {
        Incident incident = IncidentOfAttacker();
        SignInEvent signIn = _records.SignIn(At(20, 10), ip: AttackerIp, session: "sess-x");

        ExposureCollector exposure = Observe(incident, signIn);

        Assert.Empty(exposure.Entries);
    }

    [Fact]
    public void Finish_SeveralMailboxes_InNameOrder()
    {
        Incident incident = IncidentOfAttacker();

        Observe(
            incident,
            _records.Read(At(20, 10), mailbox: "zoe@contoso.com"),
            _records.Read(At(20, 11), mailbox: Alice),
            _records.Read(At(20, 12), mailbox: Bob));

        Assert.Equal([Alice, Bob, "zoe@contoso.com"], incident.Exposure.Select(m => m.Mailbox));
        Assert.Equal([Alice, Bob, "zoe@contoso.com"], incident.Mailboxes);
    }
}
