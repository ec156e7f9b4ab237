using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Consent phishing: a user signs in to an application a phishing mail sent them to and consents to it
/// reading their mail; the application's operators then read that mailbox through Graph from their own
/// servers, on the refresh token, for the days after.
/// </summary>
internal sealed class ConsentPhish : AttackPlaybook
{
    public const string PlaybookName = "consent-phish";
    private const string AppName = "Secure Document Viewer";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    private readonly SimUser _victim;
    private readonly List<int> _days;
    private readonly string _app;
    private readonly string _servicePrincipal;
    private readonly string _address;
    private string _session = "";

    public ConsentPhish(PlaybookContext context)
        : base(PlaybookName, context)
    {
        _victim = context.Victims.Take(context.Random, 1)[0];
        _days = AttackDays.Weekdays(context.Clock, context.Random, 3);
        _app = context.Random.Guid();
        _servicePrincipal = context.Random.Guid();
        _address = context.Addresses.Fresh();
    }

    public override void Run(int day, DayBuffer buffer)
    {
        int index = _days.IndexOf(day);
        if (index < 0)
        {
            return;
        }

        DateTime t = Clock.DayStart(day).AddHours(10 - _victim.UtcOffsetHours).AddMinutes(Random.Below(240));
        if (index == 0)
        {
            // The victim, at their desk, signs in to the application and consents.
            string from = _victim.OfficeAddress ?? _victim.HomeAddress;
            _session = Random.Guid();
            SignIns.Add(_victim, t, _app, AppName, from, _session, interactive: true, errorCode: 0, buffer, Client.Web.UserAgent, atTheirDesk: true);
            t = t.AddSeconds(Random.Between(10, 40));
            RecordRef consent = buffer.Add(new AdminOperation
            {
                Time = t,
                Id = Random.Guid(),
                TenantId = Tenant.Id,
                TenantDomain = Tenant.Domain,
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
                    ("ConsentAction.Permissions", $"[] => [[Id: {Random.Token()}, ClientId: {_servicePrincipal}, PrincipalId: {_victim.ObjectId}, ResourceId: {GraphAppId}, ConsentType: Principal, Scope:  Mail.Read Mail.ReadWrite offline_access User.Read, CreatedDateTime: , LastModifiedDateTime ]]; "),
                    ("TargetId.ServicePrincipalNames", _app),
                ],
                Targets = [(_servicePrincipal, 2), (AppName, 1), (_app, 2), (_app, 4)],
            });
            Recorder.Malicious(consent);
            Recorder.Touched(_victim.Mailbox);
        }

        // The application's servers refresh the delegated token and read through Graph.
        t = t.AddMinutes(Random.Between(5, 90));
        string token = SignIns.Add(_victim, t, _app, AppName, _address, _session, interactive: false, errorCode: 0, buffer);
        var who = new Reader
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
        t = Mail.Sync(who, _victim.Mailbox, ["\\Inbox"], t, buffer);
        Mail.Bind(who, _victim.Mailbox, Random.Between(2, 5), t, buffer);
    }

    public override TruthAttack Truth()
    {
        Recorder.Actor("app_id", _app);
        Recorder.Actor("ips", _address);
        return Recorder.Build();
    }
}
