using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Token theft: a token a real sign-in issued (stolen from the victim's device or an adversary-in-the-
/// middle proxy) is replayed from another address by a script, within its lifetime, to pull the
/// victim's mail: the session and token identifiers are real, the address and client are not.
/// </summary>
internal sealed class TokenReplay : AttackPlaybook
{
    public const string PlaybookName = "token-replay";

    private readonly SimUser _victim;
    private readonly List<int> _days;
    private readonly string _address;

    public TokenReplay(PlaybookContext context)
        : base(PlaybookName, context)
    {
        _victim = context.Victims.Take(context.Random, 1, u => u.Mailbox.Folders.Count >= 8)[0];
        _days = AttackDays.Weekdays(context.Clock, context.Random, 3);
        _address = context.Addresses.Any();
    }

    public override void Run(int day, DayBuffer buffer)
    {
        // The first working day on which the victim signed in; the token is used within the hour.
        if (!_days.Contains(day) || Recorder.HasRecords || _victim.TokensToday.Count == 0)
        {
            return;
        }

        IssuedToken stolen = _victim.TokensToday[Random.Below(_victim.TokensToday.Count)];
        var who = new Reader
        {
            ActorId = _victim.Upn,
            ActorKey = _victim.UserKey,
            ActorSid = _victim.Sid,
            AppId = stolen.Client.AppId,
            ClientInfo = "Client=REST;Client=RESTSystem;;",
            Address = _address,
            SessionId = stolen.SessionId,
            TokenId = stolen.TokenId,
            TokenIssued = stolen.Issued,
            TokenObjectId = _victim.ObjectId,
        };
        DateTime t = stolen.Issued.AddMinutes(Random.Between(3, 20));
        t = Mail.Sync(who, _victim.Mailbox, _victim.Mailbox.Folders, t, buffer);
        Mail.Bind(who, _victim.Mailbox, Random.Between(3, 6), t, buffer);
    }

    public override TruthAttack Truth()
    {
        Recorder.Actor("ips", _address);
        return Recorder.Build();
    }
}
