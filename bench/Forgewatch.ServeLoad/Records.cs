using System.Globalization;
using System.Text;

namespace Forgewatch.ServeLoad;

/// <summary>
/// Records of a synthetic tenant as the exports write them: unified audit log <c>MailItemsAccessed</c> and
/// Graph interactive sign-ins, by a fixed set of users through Outlook on the web (on the first-party
/// allowlist, so the background raises nothing), stamped with the current time to the millisecond.
/// </summary>
internal sealed class Records
{
    public const string Organization = "5c0ffee0-0000-4000-8000-00000000be7c";
    private const string OutlookWeb = "00000002-0000-0ff1-ce00-000000000000";
    private const int Users = 200;

    private long _sequence;

    public static string Time(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Upn(int user) => $"user{user:D3}@bench.example";

    /// <summary>A batch of <paramref name="count"/> mail accesses (JSON Lines) by the background users.</summary>
    public string MailBatch(int count, DateTime time)
    {
        var text = new StringBuilder(count * 900);
        for (int i = 0; i < count; i++)
        {
            long n = Interlocked.Increment(ref _sequence);
            int user = (int)(n % Users);
            text.Append(MailAccess(Guid.NewGuid(), time, user, $"198.18.1.{user % 250}", $"0000aaaa-0000-4000-8000-{user:D12}", $"benchtoken{user}", OutlookWeb)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A batch of <paramref name="count"/> interactive sign-ins (JSON Lines) by the background users.</summary>
    public string SignInBatch(int count, DateTime time)
    {
        var text = new StringBuilder(count * 700);
        for (int i = 0; i < count; i++)
        {
            long n = Interlocked.Increment(ref _sequence);
            int user = (int)(n % Users);
            text.Append(CultureInfo.InvariantCulture, $$"""{"id":"{{Guid.NewGuid()}}","createdDateTime":"{{Time(time)}}Z","userDisplayName":"User {{user}}","userPrincipalName":"{{Upn(user)}}","userId":"0000bbbb-0000-4000-8000-{{user:D12}}","homeTenantId":"{{Organization}}","resourceTenantId":"{{Organization}}","appId":"{{OutlookWeb}}","appDisplayName":"Office 365 Exchange Online","ipAddress":"198.18.1.{{user % 250}}","clientAppUsed":"Browser","correlationId":"{{Guid.NewGuid()}}","conditionalAccessStatus":"success","isInteractive":true,"resourceDisplayName":"Office 365 Exchange Online","resourceId":"{{OutlookWeb}}","status":{"errorCode":0},"userAgent":"Mozilla/5.0","sessionId":"0000aaaa-0000-4000-8000-{{user:D12}}","uniqueTokenIdentifier":"benchtoken{{user}}"}""").Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One mail access from <paramref name="address"/> in a session and with a token of its own.</summary>
    public static string Attack(Guid id, DateTime time, string address) =>
        MailAccess(id, time, 7, address, Guid.NewGuid().ToString(), id.ToString("N"), OutlookWeb) + "\n";

    /// <summary>A mail access; each user's session and token are the same on every record (a token is used for
    /// an hour, not once), an attack's are its own.</summary>
    private static string MailAccess(Guid id, DateTime time, int user, string address, string session, string token, string app) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"CreationTime":"{{Time(time)}}","Id":"{{id}}","Operation":"MailItemsAccessed","OrganizationId":"{{Organization}}","RecordType":50,"ResultStatus":"Succeeded","UserKey":"0000bbbb-0000-4000-8000-{{user:D12}}","UserType":0,"Version":1,"Workload":"Exchange","ClientIP":"{{address}}","UserId":"{{Upn(user)}}","AppId":"{{app}}","ClientAppId":"{{app}}","ClientIPAddress":"{{address}}","ClientInfoString":"Client=OWA;","ExternalAccess":false,"InternalLogonType":0,"LogonType":0,"MailboxGuid":"0000cccc-0000-4000-8000-{{user:D12}}","MailboxOwnerUPN":"{{Upn(user)}}","OperationProperties":[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}],"OrganizationName":"bench.example","SessionId":"{{session}}","AppAccessContext":{"AADSessionId":"{{session}}","UniqueTokenId":"{{token}}"},"Folders":[{"Id":"LgAAAA","Path":"\\Inbox","FolderItems":[{"InternetMessageId":"<{{id:N}}@bench.example>"}]}],"OperationCount":1}""");
}
