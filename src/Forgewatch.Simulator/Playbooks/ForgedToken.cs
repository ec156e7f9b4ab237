using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Storm-0558 (2023): mail read with tokens no sign-in produced (forged with a stolen signing key), through
/// an application the tenant never used for mail, over REST, from VPN and proxy addresses (a few of them
/// published indicators, most fresh), on weekday nights 00:00-09:00 UTC. The first night, each mailbox
/// is synchronized folder by folder, then chosen messages are read one by one; the actor comes back on
/// the next weekday nights for new mail.
/// </summary>
internal sealed class ForgedToken : AttackPlaybook
{
    public const string PlaybookName = "forged-token";
    private const string RestClient = "Client=REST;Client=RESTSystem;;";

    private readonly List<SimUser> _victims;
    private readonly List<int> _nights;
    private readonly string _app;
    private readonly AttackerAddresses _addresses;
    private readonly SortedSet<string> _used = new(StringComparer.Ordinal);

    public ForgedToken(PlaybookContext context)
        : base(PlaybookName, context)
    {
        _app = context.Random.Guid();
        _addresses = context.Addresses;
        _victims = context.Victims.Take(context.Random, 3, u => u.Mailbox.Folders.Count >= 8);
        _nights = AttackDays.Weekdays(context.Clock, context.Random, 3);
    }

    public override void Run(int day, DayBuffer buffer)
    {
        int night = _nights.IndexOf(day);
        if (night < 0)
        {
            return;
        }

        DateTime t = Clock.DayStart(day).AddMinutes(Random.Between(10, 120));
        IEnumerable<SimUser> victims = night == 0 ? _victims : _victims.Where(_ => Random.Chance(0.7));
        foreach (SimUser victim in victims)
        {
            // A forged token names its victim and a session no sign-in ever created.
            string address = _addresses.Any();
            _used.Add(address);
            var who = new Reader
            {
                ActorId = victim.Upn,
                ActorKey = victim.UserKey,
                ActorSid = victim.Sid,
                AppId = _app,
                ClientInfo = RestClient,
                Address = address,
                SessionId = Random.Guid(),
                TokenId = Random.Token(),
                TokenIssued = t.AddSeconds(-Random.Between(90, 240)),
                TokenObjectId = victim.ObjectId,
            };
            t = Mail.Sync(who, victim.Mailbox, night == 0 ? victim.Mailbox.Folders : ["\\Inbox"], t, buffer);
            t = Mail.Bind(who, victim.Mailbox, Random.Between(2, night == 0 ? 5 : 3), t, buffer);
            t = t.AddMinutes(Random.Between(2, 12));
        }
    }

    public override TruthAttack Truth()
    {
        Recorder.Actor("app_id", _app);
        Recorder.Actor("client_info", RestClient);
        Recorder.Actor("ips", string.Join(' ', _used));
        return Recorder.Build();
    }
}
