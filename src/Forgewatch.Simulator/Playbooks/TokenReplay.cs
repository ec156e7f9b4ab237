using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Token theft: a token a real sign-in issued (stolen from the victim's device or an adversary-in-the-
/// middle proxy) is replayed from another address by a script, within its lifetime, to pull the
/// victim's mail: the session and token identifiers are real, the address and client are not.
/// </summary>
internal sealed class TokenReplay : IPlaybook
{
    public const string PlaybookName = "token-replay";

    private readonly SimRandom _random;
    private readonly AttackRecorder _recorder;
    private readonly AttackerMail _mail;
    private readonly SimUser _victim;
    private readonly List<int> _days;
    private readonly string _address;

    public TokenReplay(PlaybookContext context)
    {
        (SimTenant tenant, SimulationClock clock, SimRandom random, AttackerAddresses addresses, VictimPool victims, string id) = context;
        _random = random;
        _recorder = new AttackRecorder(PlaybookName, id, tenant.Id);
        _mail = new AttackerMail(tenant, random, _recorder);
        _victim = victims.Take(random, 1, u => u.Mailbox.Folders.Count >= 8)[0];
        _days = AttackDays.Weekdays(clock, random, 3);
        _address = addresses.Any();
    }

    public string Name => PlaybookName;

    public void Run(int day, DayBuffer buffer)
    {
        // The first working day on which the victim signed in; the token is used within the hour.
        if (!_days.Contains(day) || _recorder.HasRecords || _victim.TokensToday.Count == 0)
        {
            return;
        }

        IssuedToken stolen = _victim.TokensToday[_random.Below(_victim.TokensToday.Count)];
        var who = new AttackerHandle
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
        DateTime t = stolen.Issued.AddMinutes(_random.Between(3, 20));
        t = _mail.Sync(who, _victim.Mailbox, _victim.Mailbox.Folders, t, buffer);
        _mail.Bind(who, _victim.Mailbox, _random.Between(3, 6), t, buffer);
    }

    public TruthAttack Truth()
    {
        _recorder.Actor("ips", _address);
        return _recorder.Build();
    }
}
