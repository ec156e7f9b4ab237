using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Consent phishing: a user signs in to an application a phishing mail sent them to and consents to it
/// reading their mail; the application's operators then read that mailbox through Graph from their own
/// servers, on the refresh token, for the days after.
/// </summary>
internal sealed class ConsentPhish : IPlaybook
{
    public const string PlaybookName = "consent-phish";
    private const string AppName = "Secure Document Viewer";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    private readonly SimTenant _tenant;
    private readonly SimulationClock _clock;
    private readonly SimRandom _random;
    private readonly AttackRecorder _recorder;
    private readonly AttackerMail _mail;
    private readonly AttackerSignIns _signIns;
    private readonly SimUser _victim;
    private readonly List<int> _days;
    private readonly string _app;
    private readonly string _servicePrincipal;
    private readonly string _address;
    private string _session = "";

    public ConsentPhish(PlaybookContext context)
    {
        (SimTenant tenant, SimulationClock clock, SimRandom random, AttackerAddresses addresses, VictimPool victims, string id) = context;
        _tenant = tenant;
        _clock = clock;
        _random = random;
        _recorder = new AttackRecorder(PlaybookName, id, tenant.Id);
        _mail = new AttackerMail(tenant, random, _recorder);
        _signIns = new AttackerSignIns(tenant, random, _recorder);
        _victim = victims.Take(random, 1)[0];
        _days = AttackDays.Weekdays(clock, random, 3);
        _app = random.Guid();
        _servicePrincipal = random.Guid();
        _address = addresses.Fresh();
    }

    public string Name => PlaybookName;

    public void Run(int day, DayBuffer buffer)
    {
        int index = _days.IndexOf(day);
        if (index < 0)
        {
            return;
        }

        DateTime t = _clock.DayStart(day).AddHours(10 - _victim.UtcOffsetHours).AddMinutes(_random.Below(240));
        if (index == 0)
        {
            // The victim, at their desk, signs in to the application and consents.
            string from = _victim.OfficeAddress ?? _victim.HomeAddress;
            _session = _random.Guid();
            _signIns.Add(_victim, t, _app, AppName, from, _session, interactive: true, errorCode: 0, buffer, Client.Web.UserAgent, atTheirDesk: true);
            t = t.AddSeconds(_random.Between(10, 40));
            RecordRef consent = buffer.Add(new AdminOperation
            {
                Time = t,
                Id = _random.Guid(),
                TenantId = _tenant.Id,
                TenantDomain = _tenant.Domain,
                Operation = "Consent to application.",
                RecordType = 8,
                UserId = _victim.Upn,
                UserKey = _victim.UserKey,
                ClientIp = from,
                ObjectId = _servicePrincipal,
                ModifiedProperties =
                [
                    ("ConsentContext.IsAdminConsent", "False"),
                    ("ConsentContext.OnBehalfOfAll", "False"),
                    ("ConsentAction.Permissions", $"[] => [[Id: {_random.Token()}, ClientId: {_servicePrincipal}, PrincipalId: {_victim.ObjectId}, ResourceId: {GraphAppId}, ConsentType: Principal, Scope:  Mail.Read Mail.ReadWrite offline_access User.Read, CreatedDateTime: , LastModifiedDateTime ]]; "),
                    ("TargetId.ServicePrincipalNames", _app),
                ],
                Targets = [(_servicePrincipal, 2), (AppName, 1), (_app, 2), (_app, 4)],
            });
            _recorder.Malicious(consent);
            _recorder.Touched(_victim.Mailbox);
        }

        // The application's servers refresh the delegated token and read through Graph.
        t = t.AddMinutes(_random.Between(5, 90));
        string token = _signIns.Add(_victim, t, _app, AppName, _address, _session, interactive: false, errorCode: 0, buffer);
        var who = new AttackerHandle
        {
            ActorId = _victim.Upn,
            ActorKey = _victim.UserKey,
            ActorSid = _victim.Sid,
            AppId = _app,
            ClientInfo = "Client=REST;Client=RESTSystem;;",
            Address = _address,
            SessionId = _session,
            TokenId = token,
            TokenIssued = t,
            TokenObjectId = _victim.ObjectId,
        };
        t = _mail.Sync(who, _victim.Mailbox, ["\\Inbox"], t, buffer);
        _mail.Bind(who, _victim.Mailbox, _random.Between(2, 5), t, buffer);
    }

    public TruthAttack Truth()
    {
        _recorder.Actor("app_id", _app);
        _recorder.Actor("ips", _address);
        return _recorder.Build();
    }
}
