using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Storm-0558 (2023): mail read with tokens no sign-in produced (forged with a stolen signing key), through
/// an application the tenant never used for mail, over REST, from VPN and proxy addresses (a few of them
/// published indicators, most fresh), on weekday nights 00:00-09:00 UTC. The first night, each mailbox
/// is synchronized folder by folder, then chosen messages are read one by one; the actor comes back on
/// the next weekday nights for new mail.
/// </summary>
internal sealed class ForgedToken : IPlaybook
{
    public const string PlaybookName = "forged-token";
    private const string RestClient = "Client=REST;Client=RESTSystem;;";

    private readonly SimulationClock _clock;
    private readonly SimRandom _random;
    private readonly AttackRecorder _recorder;
    private readonly AttackerMail _mail;
    private readonly List<SimUser> _victims;
    private readonly List<int> _nights;
    private readonly string _app;
    private readonly AttackerAddresses _addresses;
    private readonly SortedSet<string> _used = new(StringComparer.Ordinal);

    public ForgedToken(PlaybookContext context)
    {
        (SimTenant tenant, SimulationClock clock, SimRandom random, AttackerAddresses addresses, VictimPool victims, string id) = context;
        _clock = clock;
        _random = random;
        _recorder = new AttackRecorder(PlaybookName, id, tenant.Id);
        _mail = new AttackerMail(tenant, random, _recorder);
        _app = random.Guid();
        _addresses = addresses;
        _victims = victims.Take(random, 3, u => u.Mailbox.Folders.Count >= 8);

        _nights = AttackDays.Weekdays(clock, random, 3);
    }

    public string Name => PlaybookName;

    public void Run(int day, DayBuffer buffer)
    {
        int night = _nights.IndexOf(day);
        if (night < 0)
        {
            return;
        }

        DateTime t = _clock.DayStart(day).AddMinutes(_random.Between(10, 120));
        IEnumerable<SimUser> victims = night == 0 ? _victims : _victims.Where(_ => _random.Chance(0.7));
        foreach (SimUser victim in victims)
        {
            // A forged token names its victim and a session no sign-in ever created.
            string address = _addresses.Any();
            _used.Add(address);
            var who = new AttackerHandle
            {
                ActorId = victim.Upn,
                ActorKey = victim.UserKey,
                ActorSid = victim.Sid,
                AppId = _app,
                ClientInfo = RestClient,
                Address = address,
                SessionId = _random.Guid(),
                TokenId = _random.Token(),
                TokenIssued = t.AddSeconds(-_random.Between(90, 240)),
                TokenObjectId = victim.ObjectId,
            };
            t = _mail.Sync(who, victim.Mailbox, night == 0 ? victim.Mailbox.Folders : ["\\Inbox"], t, buffer);
            t = _mail.Bind(who, victim.Mailbox, _random.Between(2, night == 0 ? 5 : 3), t, buffer);
            t = t.AddMinutes(_random.Between(2, 12));
        }
    }

    public TruthAttack Truth()
    {
        _recorder.Actor("app_id", _app);
        _recorder.Actor("client_info", RestClient);
        _recorder.Actor("ips", string.Join(' ', _used));
        return _recorder.Build();
    }
}
