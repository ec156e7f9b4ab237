using System.Globalization;
using System.Text;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Tests.Output;

/// <summary>Hand-made records shaped like the simulator's: UAL <c>MailItemsAccessed</c> and Graph sign-ins.</summary>
internal static class ShapeRecords
{
    public static readonly DateTime Start = new(2023, 6, 5, 8, 0, 0, DateTimeKind.Utc);

    private const string Tenant = "3c9d7e10-6a2b-4f8e-9d41-0b5e7c2a9f13";

    public static SimRecord Ual(int n, DateTime? time = null, string user = "alice@contoso.onmicrosoft.com")
    {
        DateTime at = time ?? Start.AddSeconds(n);
        string id = Guid(1, n);
        string userJson = user.Replace("\"", "\\\"", StringComparison.Ordinal);
        string json = $$"""{"CreationTime":"{{at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}}","Id":"{{id}}","Operation":"MailItemsAccessed","OrganizationId":"{{Tenant}}","RecordType":50,"ResultStatus":"Succeeded","UserKey":"10032001A2B3C4D5","UserType":0,"Version":1,"Workload":"Exchange","ClientIP":"203.0.113.{{n % 250}}","UserId":"{{userJson}}","AppId":"00000002-0000-0ff1-ce00-000000000000","ClientIPAddress":"203.0.113.{{n % 250}}","ClientInfoString":"Client=OWA;Action=ViaProxy","ExternalAccess":false,"LogonType":0,"MailboxGuid":"{{Guid(2, 1)}}","MailboxOwnerUPN":"{{userJson}}","OperationProperties":[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}],"SessionId":"{{Guid(3, n)}}","Folders":[{"FolderItems":[{"InternetMessageId":"<m{{n}}@contoso.com>","SizeInBytes":2048}],"Id":"LgAAAAD1","Path":"\\Inbox"}],"OperationCount":1}""";
        return new SimRecord(at, System.Guid.Parse(id), SimLog.Ual, Encoding.UTF8.GetBytes(json));
    }

    public static SimRecord SignIn(int n, DateTime? time = null, string user = "alice@contoso.onmicrosoft.com")
    {
        DateTime at = time ?? Start.AddSeconds(n);
        string id = Guid(4, n);
        string json = $$"""{"id":"{{id}}","createdDateTime":"{{at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","userDisplayName":"Alice","userPrincipalName":"{{user}}","userId":"{{Guid(5, 1)}}","homeTenantId":"{{Tenant}}","resourceTenantId":"{{Tenant}}","appId":"00000002-0000-0ff1-ce00-000000000000","appDisplayName":"Office 365 Exchange Online","ipAddress":"203.0.113.{{n % 250}}","clientAppUsed":"Browser","correlationId":"{{Guid(6, n)}}","isInteractive":true,"status":{"errorCode":0,"failureReason":"Other.","additionalDetails":null},"location":{"city":"Zürich","countryOrRegion":"CH"},"sessionId":"{{Guid(3, n)}}","uniqueTokenIdentifier":"tok{{n}}","signInEventTypes":["interactiveUser"]}""";
        return new SimRecord(at, System.Guid.Parse(id), SimLog.SignIns, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A record cut as the simulator cuts one: half its bytes, marked malformed.</summary>
    public static SimRecord Cut(SimRecord record, int? length = null) =>
        new(record.Time, record.Id, record.Log, record.Json[..(length ?? record.Json.Length / 2)], Malformed: true);

    private static string Guid(int kind, int n) => string.Create(CultureInfo.InvariantCulture, $"{kind:x8}-0000-4000-8000-{n:x12}");
}
