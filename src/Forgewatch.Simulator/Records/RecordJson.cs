using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Forgewatch.Simulator.Model;

namespace Forgewatch.Simulator.Records;

/// <summary>
/// Writes simulated records as the vendors do: <c>MailItemsAccessed</c> as a unified audit log record
/// (<c>CreationTime</c> without a zone, as the Management Activity API gives it) and sign-ins as Graph
/// <c>signIn</c> objects. One writer per thread.
/// </summary>
internal sealed class RecordJson : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public RecordJson() => _json = new Utf8JsonWriter(_buffer, Options);

    public void Dispose() => _json.Dispose();

    /// <summary>UAL times: UTC, no zone suffix, seconds.</summary>
    public static string UalTime(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    public SimRecord Write(MailAccess a)
    {
        Utf8JsonWriter w = Start();
        w.WriteString("CreationTime", UalTime(a.Time));
        w.WriteString("Id", a.Id);
        w.WriteString("Operation", "MailItemsAccessed");
        w.WriteString("OrganizationId", a.TenantId);
        w.WriteNumber("RecordType", 50);
        w.WriteString("ResultStatus", "Succeeded");
        w.WriteString("UserKey", a.ActorKey);
        w.WriteNumber("UserType", a.LogonType == 0 && a.SessionId is null ? 5 : 0);
        w.WriteNumber("Version", 1);
        w.WriteString("Workload", "Exchange");
        w.WriteString("ClientIP", a.ClientIp);
        w.WriteString("UserId", a.ActorId);
        w.WriteString("AppId", a.AppId);
        if (a.ClientAppId is { } clientApp)
        {
            w.WriteString("ClientAppId", clientApp);
        }

        w.WriteString("ClientIPAddress", a.ClientIp);
        w.WriteString("ClientInfoString", a.ClientInfo);
        w.WriteBoolean("ExternalAccess", false);
        w.WriteNumber("InternalLogonType", a.LogonType);
        w.WriteNumber("LogonType", a.LogonType);
        w.WriteString("LogonUserSid", a.ActorSid);
        w.WriteString("MailboxGuid", a.Mailbox.Guid);
        w.WriteString("MailboxOwnerSid", a.Mailbox.OwnerSid);
        w.WriteString("MailboxOwnerUPN", a.Mailbox.OwnerUpn);
        w.WriteStartArray("OperationProperties");
        Property(w, "MailAccessType", a.AccessType);
        Property(w, "IsThrottled", a.Throttled ? "True" : "False");
        w.WriteEndArray();
        w.WriteString("OrganizationName", a.TenantDomain);
        w.WriteString("OriginatingServer", $"{a.Mailbox.Server} (15.20.6433.024)");
        if (a.SessionId is { } session)
        {
            w.WriteString("SessionId", session);
        }

        w.WriteStartObject("AppAccessContext");
        if (a.SessionId is { } aadSession)
        {
            w.WriteString("AADSessionId", aadSession);
        }

        w.WriteString("IssuedAtTime", UalTime(a.TokenIssued));
        w.WriteString("UniqueTokenId", a.TokenId);
        w.WriteString("CorrelationId", a.CorrelationId);
        if (a.Rest)
        {
            w.WriteString("APIId", Client.ExchangeOnline);
            w.WriteString("ClientAppId", a.ClientAppId ?? a.AppId);
        }

        w.WriteEndObject();
        if (a.Rest)
        {
            w.WriteString("TokenObjectId", a.TokenObjectId);
            w.WriteString("TokenTenantId", a.TenantId);
        }

        bool bind = a.AccessType == "Bind";
        int count = 0;
        w.WriteStartArray("Folders");
        foreach (FolderRead folder in a.Folders)
        {
            w.WriteStartObject();
            if (bind)
            {
                w.WriteStartArray("FolderItems");
                foreach (long message in folder.Messages)
                {
                    w.WriteStartObject();
                    w.WriteString("InternetMessageId", MessageIds.InternetMessageId(a.Mailbox, message));
                    w.WriteNumber("SizeInBytes", MessageIds.Size(a.Mailbox, message));
                    w.WriteString("Id", MessageIds.ItemId(a.Mailbox, message));
                    w.WriteEndObject();
                    count++;
                }

                w.WriteEndArray();
            }

            w.WriteString("Id", FolderId(a.Mailbox, folder.Path));
            w.WriteString("Path", folder.Path);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("OperationCount", bind ? count : 1);
        return Finish(a.Time, a.Id, SimLog.Ual);
    }

    public SimRecord Write(SignIn s)
    {
        Utf8JsonWriter w = Start();
        w.WriteString("id", s.Id);
        w.WriteString("createdDateTime", s.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (s.ServicePrincipal)
        {
            w.WriteString("servicePrincipalId", s.UserId);
            w.WriteString("servicePrincipalName", s.UserDisplayName);
        }
        else
        {
            w.WriteString("userDisplayName", s.UserDisplayName);
            w.WriteString("userPrincipalName", s.Upn);
            w.WriteString("userId", s.UserId);
        }

        w.WriteString("homeTenantId", s.TenantId);
        w.WriteString("resourceTenantId", s.TenantId);
        w.WriteString("appId", s.AppId);
        w.WriteString("appDisplayName", s.AppDisplayName);
        w.WriteString("ipAddress", s.IpAddress);
        w.WriteString("clientAppUsed", s.ClientAppUsed);
        w.WriteString("correlationId", s.CorrelationId);
        w.WriteString("conditionalAccessStatus", s.ErrorCode == 0 ? "success" : "notApplied");
        w.WriteBoolean("isInteractive", s.Interactive);
        w.WriteString("riskDetail", "none");
        w.WriteString("riskLevelAggregated", "none");
        w.WriteString("riskLevelDuringSignIn", "none");
        w.WriteString("riskState", "none");
        w.WriteString("resourceDisplayName", "Office 365 Exchange Online");
        w.WriteString("resourceId", Client.ExchangeOnline);
        w.WriteStartObject("status");
        w.WriteNumber("errorCode", s.ErrorCode);
        w.WriteString("failureReason", s.ErrorCode == 0 ? "Other." : "Error validating credentials due to invalid username or password.");
        w.WriteNull("additionalDetails");
        w.WriteEndObject();
        w.WriteStartObject("deviceDetail");
        w.WriteString("deviceId", s.DeviceId);
        w.WriteString("displayName", s.DeviceName);
        w.WriteString("operatingSystem", s.OperatingSystem);
        w.WriteString("browser", s.Browser);
        w.WriteBoolean("isCompliant", s.DeviceId.Length > 0);
        w.WriteBoolean("isManaged", s.DeviceId.Length > 0);
        w.WriteString("trustType", s.DeviceId.Length > 0 ? "Azure AD registered" : "");
        w.WriteEndObject();
        w.WriteStartObject("location");
        w.WriteString("city", s.City);
        w.WriteString("countryOrRegion", s.CountryOrRegion);
        w.WriteEndObject();
        w.WriteString("userAgent", s.UserAgent);
        if (s.SessionId.Length > 0)
        {
            w.WriteString("sessionId", s.SessionId);
        }

        w.WriteString("uniqueTokenIdentifier", s.TokenId);
        w.WriteStartArray("signInEventTypes");
        w.WriteStringValue(s.ServicePrincipal ? "servicePrincipal" : s.Interactive ? "interactiveUser" : "nonInteractiveUser");
        w.WriteEndArray();
        return Finish(s.Time, s.Id, SimLog.SignIns);
    }

    public SimRecord Write(AdminOperation o)
    {
        Utf8JsonWriter w = Start();
        bool exchange = o.RecordType == 1;
        w.WriteString("CreationTime", UalTime(o.Time));
        w.WriteString("Id", o.Id);
        w.WriteString("Operation", o.Operation);
        w.WriteString("OrganizationId", o.TenantId);
        w.WriteNumber("RecordType", o.RecordType);
        w.WriteString("ResultStatus", exchange ? "True" : "Success");
        w.WriteString("UserKey", o.UserKey);
        w.WriteNumber("UserType", 0);
        w.WriteNumber("Version", 1);
        w.WriteString("Workload", exchange ? "Exchange" : "AzureActiveDirectory");
        w.WriteString("ClientIP", exchange ? o.ClientIp + ":" + (40000 + (o.Id[0] * 97 % 20000)).ToString(CultureInfo.InvariantCulture) : o.ClientIp);
        w.WriteString("ObjectId", o.ObjectId);
        w.WriteString("UserId", o.UserId);
        if (exchange)
        {
            if (o.AppId is { } app)
            {
                w.WriteString("AppId", app);
                w.WriteString("ClientAppId", app);
            }

            w.WriteBoolean("ExternalAccess", false);
            w.WriteString("OrganizationName", o.TenantDomain);
            w.WriteString("OriginatingServer", "SA1PR09MB8012 (15.20.6433.024)");
            w.WriteStartArray("Parameters");
            foreach ((string name, string value) in o.Parameters)
            {
                Property(w, name, value);
            }

            w.WriteEndArray();
            if (o.SessionId is { } session)
            {
                w.WriteString("SessionId", session);
                w.WriteStartObject("AppAccessContext");
                w.WriteString("AADSessionId", session);
                if (o.TokenId is { } token)
                {
                    w.WriteString("UniqueTokenId", token);
                }

                w.WriteEndObject();
            }
        }
        else
        {
            w.WriteNumber("AzureActiveDirectoryEventType", 1);
            w.WriteStartArray("ExtendedProperties");
            Property(w, "extendedAuditEventCategory", "ServicePrincipal");
            w.WriteEndArray();
            w.WriteStartArray("ModifiedProperties");
            foreach ((string name, string value) in o.ModifiedProperties)
            {
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("NewValue", value);
                w.WriteString("OldValue", "");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("Actor");
            w.WriteStartObject();
            w.WriteString("ID", o.UserId);
            w.WriteNumber("Type", 5);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("ActorContextId", o.TenantId);
            w.WriteStartArray("Target");
            foreach ((string id, int type) in o.Targets)
            {
                w.WriteStartObject();
                w.WriteString("ID", id);
                w.WriteNumber("Type", type);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("TargetContextId", o.TenantId);
        }

        return Finish(o.Time, o.Id, SimLog.Ual);
    }

    /// <summary>A folder's Exchange id, stable for the mailbox and path.</summary>
    public static string FolderId(Mailbox mailbox, string path) =>
        "LgAAAAD" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(mailbox.Guid + path)).AsSpan(0, 18));

    private static void Property(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString("Name", name);
        w.WriteString("Value", value);
        w.WriteEndObject();
    }

    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    private SimRecord Finish(DateTime time, string id, SimLog log)
    {
        _json.WriteEndObject();
        _json.Flush();
        return new SimRecord(time, id, log, _buffer.WrittenSpan.ToArray());
    }
}
