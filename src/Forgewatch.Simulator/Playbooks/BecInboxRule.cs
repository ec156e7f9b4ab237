using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Business email compromise: a password spray from one address against a handful of people, one guess
/// that works, then, in the session it opened, an inbox rule that forwards the victim's mail outside
/// the tenant, and an evening of reading the victim's mail in Outlook on the web.
/// </summary>
internal sealed class BecInboxRule : AttackPlaybook
{
    public const string PlaybookName = "bec-inbox-rule";

    private readonly SimUser _victim;
    private readonly int _day;
    private readonly string _address;

    public BecInboxRule(PlaybookContext context)
        : base(PlaybookName, context)
    {
        _victim = context.Victims.Take(context.Random, 1)[0];
        _day = AttackDays.Weekdays(context.Clock, context.Random, 1)[0];
        _address = context.Addresses.Any();
    }

    public override void Run(int day, DayBuffer buffer)
    {
        if (day != _day)
        {
            return;
        }

        // The spray: one wrong password each for a few people, the victim's guessed last.
        DateTime t = Clock.DayStart(day).AddHours(Random.Between(17, 21)).AddMinutes(Random.Below(60));
        foreach (SimUser user in Tenant.Users.Where(u => u != _victim).OrderBy(_ => Random.NextUInt64()).Take(Random.Between(3, 6)))
        {
            t = t.AddSeconds(Random.Between(5, 40));
            SignIns.Add(user, t, Client.Web.AppId, Client.Web.AppDisplayName, _address, Random.Guid(), interactive: true, errorCode: 50126, buffer);
        }

        t = t.AddSeconds(Random.Between(5, 40));
        string session = Random.Guid();
        string token = SignIns.Add(_victim, t, Client.Web.AppId, Client.Web.AppDisplayName, _address, session, interactive: true, errorCode: 0, buffer, Client.Web.UserAgent);
        DateTime issued = t;

        // Keep the mail coming after the password is changed: forward everything outside.
        t = t.AddMinutes(Random.Between(2, 6));
        string forwardTo = $"{_victim.Upn.Split('@')[0].Replace('.', '-')}.{Random.Below(1000)}@mail-archive.example";
        RecordRef rule = buffer.Add(new AdminOperation
        {
            Time = t,
            Id = Random.Guid(),
            TenantId = Tenant.Id,
            TenantDomain = Tenant.Domain,
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
        Recorder.Malicious(rule);
        Recorder.Touched(_victim.Mailbox);
        Recorder.Actor("forward_to", forwardTo);

        var who = new Reader
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
        t = Mail.Sync(who, _victim.Mailbox, ["\\Inbox", "\\Sent Items"], t, buffer);
        Mail.Bind(who, _victim.Mailbox, Random.Between(3, 6), t, buffer);
    }

    public override TruthAttack Truth()
    {
        Recorder.Actor("ips", _address);
        return Recorder.Build();
    }
}
