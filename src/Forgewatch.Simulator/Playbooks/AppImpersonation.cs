using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// An attacker holding an administrator's password gives an application of their own the right to read
/// every mailbox (the <c>full_access_as_app</c> role on Exchange, or the ApplicationImpersonation role),
/// then that application, signing in as itself, reads a dozen mailboxes one after the other at night.
/// </summary>
internal sealed class AppImpersonation : AttackPlaybook
{
    public const string PlaybookName = "app-impersonation";
    private const string AppName = "Mail Migration Utility";
    private const string ExchangePowerShell = "fb78d390-0c51-40cd-8e17-fdbfab77341b";

    private readonly SimUser _admin;
    private readonly List<SimUser> _read;
    private readonly List<int> _days;
    private readonly string _app;
    private readonly string _servicePrincipal;
    private readonly string _address;
    private readonly bool _appRole;

    public AppImpersonation(PlaybookContext context)
        : base(PlaybookName, context)
    {
        _admin = context.Victims.Take(context.Random, 1)[0];
        _read = context.Victims.Take(context.Random, context.Random.Between(8, 14));
        _days = AttackDays.Weekdays(context.Clock, context.Random, 2);
        _app = context.Random.Guid();
        _servicePrincipal = context.Random.Guid();
        _address = context.Addresses.Any();
        _appRole = context.Random.Chance(0.5);
    }

    public override void Run(int day, DayBuffer buffer)
    {
        int index = _days.IndexOf(day);
        if (index < 0)
        {
            return;
        }

        DateTime t = Clock.DayStart(day).AddHours(Random.Between(0, 4)).AddMinutes(Random.Below(60));
        if (index == 0)
        {
            string session = Random.Guid();
            string token = SignIns.Add(_admin, t, ExchangePowerShell, "Microsoft Exchange REST API Based Powershell", _address, session, interactive: true, errorCode: 0, buffer);
            t = t.AddMinutes(Random.Between(1, 5));
            RecordRef grant = buffer.Add(_appRole ? AppRoleGrant(t) : ImpersonationRole(t, session, token));
            Recorder.Malicious(grant);
            t = t.AddMinutes(Random.Between(5, 30));
        }

        // The application, as itself, reads one mailbox after another.
        string appToken = SignIns.AsApplication(_app, _servicePrincipal, AppName, t, _address, buffer);
        var who = new Reader
        {
            ActorId = _app,
            ActorKey = _app,
            ActorSid = Tenant.SidPrefix + "9002",
            AppId = _app,
            ClientInfo = "Client=REST;Client=RESTSystem;;",
            Address = _address,
            SessionId = null,
            TokenId = appToken,
            TokenIssued = t,
            TokenObjectId = _servicePrincipal,
        };
        // All of them the first night; about half of them again on the second.
        foreach (SimUser victim in _read.Where(_ => index == 0 || Random.Chance(0.5)))
        {
            t = Mail.Sync(who, victim.Mailbox, ["\\Inbox"], t, buffer);
            t = Mail.Bind(who, victim.Mailbox, Random.Between(1, 2), t, buffer);
        }
    }

    public override TruthAttack Truth()
    {
        Recorder.Actor("app_id", _app);
        Recorder.Actor("grant", _appRole ? "full_access_as_app" : "ApplicationImpersonation");
        Recorder.Actor("ips", _address);
        return Recorder.Build();
    }

    private AdminOperation AppRoleGrant(DateTime t) => new()
    {
        Time = t,
        Id = Random.Guid(),
        TenantId = Tenant.Id,
        TenantDomain = Tenant.Domain,
        Operation = "Add app role assignment to service principal.",
        RecordType = 8,
        UserId = _admin.Upn,
        UserKey = _admin.UserKey,
        ClientIp = _address,
        ObjectId = _servicePrincipal,
        ModifiedProperties =
        [
            ("AppRole.Id", "dc890d15-9560-4a4c-9b7f-a736ec74ec40"),
            ("AppRole.Value", "full_access_as_app"),
            ("AppRole.DisplayName", "Use Exchange Web Services with full access to all mailboxes"),
            ("ServicePrincipal.ObjectID", _servicePrincipal),
            ("ServicePrincipal.DisplayName", AppName),
            ("ServicePrincipal.AppId", _app),
        ],
        Targets = [(_servicePrincipal, 2), (AppName, 1), (Client.ExchangeOnline, 2)],
    };

    private AdminOperation ImpersonationRole(DateTime t, string session, string token) => new()
    {
        Time = t,
        Id = Random.Guid(),
        TenantId = Tenant.Id,
        TenantDomain = Tenant.Domain,
        Operation = "New-ManagementRoleAssignment",
        RecordType = 1,
        UserId = _admin.Upn,
        UserKey = _admin.UserKey,
        ClientIp = _address,
        ObjectId = "ApplicationImpersonation-" + AppName.Replace(' ', '-'),
        AppId = ExchangePowerShell,
        SessionId = session,
        TokenId = token,
        Parameters = [("Role", "ApplicationImpersonation"), ("App", _servicePrincipal), ("Name", "ApplicationImpersonation-" + AppName.Replace(' ', '-'))],
    };
}
