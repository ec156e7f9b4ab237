using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Business email compromise: a password spray from one address against a handful of people, one guess
/// that works, then, in the session it opened, an inbox rule that forwards the victim's mail outside
/// the tenant, and an evening of reading the victim's mail in Outlook on the web.
/// </summary>
internal sealed class BecInboxRule : IPlaybook
{
    public const string PlaybookName = "bec-inbox-rule";

    private readonly SimTenant _tenant;
    private readonly SimulationClock _clock;
    private readonly SimRandom _random;
    private readonly AttackRecorder _recorder;
    private readonly AttackerMail _mail;
    private readonly AttackerSignIns _signIns;
    private readonly SimUser _victim;
    private readonly int _day;
    private readonly string _address;

    public BecInboxRule(PlaybookContext context)
    {
        (SimTenant tenant, SimulationClock clock, SimRandom random, AttackerAddresses addresses, VictimPool victims, string id) = context;
        _tenant = tenant;
        _clock = clock;
        _random = random;
        _recorder = new AttackRecorder(PlaybookName, id, tenant.Id);
        _mail = new AttackerMail(tenant, random, _recorder);
        _signIns = new AttackerSignIns(tenant, random, _recorder);
        _victim = victims.Take(random, 1)[0];
        _day = AttackDays.Weekdays(clock, random, 1)[0];
        _address = addresses.Any();
    }

    public string Name => PlaybookName;

    public void Run(int day, DayBuffer buffer)
    {
        if (day != _day)
        {
            return;
        }

        // The spray: one wrong password each for a few people, the victim's guessed last.
        DateTime t = _clock.DayStart(day).AddHours(_random.Between(17, 21)).AddMinutes(_random.Below(60));
        foreach (SimUser user in _tenant.Users.Where(u => u != _victim).OrderBy(_ => _random.NextUInt64()).Take(_random.Between(3, 6)))
        {
            t = t.AddSeconds(_random.Between(5, 40));
            _signIns.Add(user, t, Client.Web.AppId, Client.Web.AppDisplayName, _address, _random.Guid(), interactive: true, errorCode: 50126, buffer);
        }

        t = t.AddSeconds(_random.Between(5, 40));
        string session = _random.Guid();
        string token = _signIns.Add(_victim, t, Client.Web.AppId, Client.Web.AppDisplayName, _address, session, interactive: true, errorCode: 0, buffer, Client.Web.UserAgent);
        DateTime issued = t;

        // Keep the mail coming after the password is changed: forward everything outside.
        t = t.AddMinutes(_random.Between(2, 6));
        string forwardTo = $"{_victim.Upn.Split('@')[0].Replace('.', '-')}.{_random.Below(1000)}@mail-archive.example";
        RecordRef rule = buffer.Add(new AdminOperation
        {
            Time = t,
            Id = _random.Guid(),
            TenantId = _tenant.Id,
            TenantDomain = _tenant.Domain,
            Operation = "New-InboxRule",
            RecordType = 1,
            UserId = _victim.Upn,
            UserKey = _victim.UserKey,
            ClientIp = _address,
            ObjectId = _victim.Upn + "\\.",
            AppId = Client.Web.AppId,
            SessionId = session,
            TokenId = token,
            Parameters = [("Mailbox", _victim.Upn), ("Name", "."), ("ForwardTo", forwardTo), ("MarkAsRead", "True"), ("StopProcessingRules", "True")],
        });
        _recorder.Malicious(rule);
        _recorder.Touched(_victim.Mailbox);
        _recorder.Actor("forward_to", forwardTo);

        var who = new AttackerHandle
        {
            ActorId = _victim.Upn,
            ActorKey = _victim.UserKey,
            ActorSid = _victim.Sid,
            AppId = Client.Web.AppId,
            ClientInfo = Client.Web.ClientInfo,
            Address = _address,
            SessionId = session,
            TokenId = token,
            TokenIssued = issued,
            TokenObjectId = _victim.ObjectId,
            Rest = false,
        };
        t = _mail.Sync(who, _victim.Mailbox, ["\\Inbox", "\\Sent Items"], t, buffer);
        _mail.Bind(who, _victim.Mailbox, _random.Between(3, 6), t, buffer);
    }

    public TruthAttack Truth()
    {
        _recorder.Actor("ips", _address);
        return _recorder.Build();
    }
}
