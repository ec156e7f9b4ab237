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
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public RecordJson() => _json = new Utf8JsonWriter(_buffer, Options);

    public void Dispose() => _json.Dispose();

    /// <summary>A <see cref="MailAccess"/>, <see cref="SignIn"/> or <see cref="AdminOperation"/>.</summary>
    public SimRecord Write(object record) => record switch
    {
        MailAccess access => Write(access),
        SignIn signIn => Write(signIn),
        AdminOperation operation => Write(operation),
        _ => throw new ArgumentException($"Not a simulated record: {record.GetType()}.", nameof(record)),
    };

    public SimRecord Write(MailAccess a)
    {
        Utf8JsonWriter w = Start();
        WriteTime(w, JsonNames.CreationTime, a.Time, zone: false);
        w.WriteString(JsonNames.Id, a.Id);
        w.WriteString(JsonNames.Operation, "MailItemsAccessed");
        w.WriteString(JsonNames.OrganizationId, a.TenantId);
        w.WriteNumber(JsonNames.RecordType, 50);
        w.WriteString(JsonNames.ResultStatus, "Succeeded");
        w.WriteString(JsonNames.UserKey, a.ActorKey);
        w.WriteNumber(JsonNames.UserType, a.LogonType == 0 && a.SessionId is null ? 5 : 0);
        w.WriteNumber(JsonNames.Version, 1);
        w.WriteString(JsonNames.Workload, "Exchange");
        w.WriteString(JsonNames.ClientIP, a.ClientIp);
        w.WriteString(JsonNames.UserId, a.ActorId);
        w.WriteString(JsonNames.AppId, a.AppId);
        if (a.ClientAppId is { } clientApp)
        {
            w.WriteString(JsonNames.ClientAppId, clientApp);
        }

        w.WriteString(JsonNames.ClientIPAddress, a.ClientIp);
        w.WriteString(JsonNames.ClientInfoString, a.ClientInfo);
        w.WriteBoolean(JsonNames.ExternalAccess, false);
        w.WriteNumber(JsonNames.InternalLogonType, a.LogonType);
        w.WriteNumber(JsonNames.LogonType, a.LogonType);
        w.WriteString(JsonNames.LogonUserSid, a.ActorSid);
        w.WriteString(JsonNames.MailboxGuid, a.Mailbox.Guid);
        w.WriteString(JsonNames.MailboxOwnerSid, a.Mailbox.OwnerSid);
        w.WriteString(JsonNames.MailboxOwnerUPN, a.Mailbox.OwnerUpn);
        w.WriteStartArray(JsonNames.OperationProperties);
        Property(w, "MailAccessType", a.AccessType);
        Property(w, "IsThrottled", a.Throttled ? "True" : "False");
        w.WriteEndArray();
        w.WriteString(JsonNames.OrganizationName, a.TenantDomain);
        w.WriteString(JsonNames.OriginatingServer, a.Mailbox.OriginatingServer);
        if (a.SessionId is { } session)
        {
            w.WriteString(JsonNames.SessionId, session);
        }

        w.WriteStartObject(JsonNames.AppAccessContext);
        if (a.SessionId is { } aadSession)
        {
            w.WriteString(JsonNames.AADSessionId, aadSession);
        }

        WriteTime(w, JsonNames.IssuedAtTime, a.TokenIssued, zone: false);
        w.WriteString(JsonNames.UniqueTokenId, a.TokenId);
        w.WriteString(JsonNames.CorrelationId, a.CorrelationId);
        if (a.Rest)
        {
            w.WriteString(JsonNames.APIId, Client.ExchangeOnline);
            w.WriteString(JsonNames.ClientAppId, a.ClientAppId ?? a.AppId);
        }

        w.WriteEndObject();
        if (a.Rest)
        {
            w.WriteString(JsonNames.TokenObjectId, a.TokenObjectId);
            w.WriteString(JsonNames.TokenTenantId, a.TenantId);
        }

        bool bind = a.AccessType == "Bind";
        int count = 0;
        Span<byte> text = stackalloc byte[MessageIds.MaxLength];
        w.WriteStartArray(JsonNames.Folders);
        foreach (FolderRead folder in a.Folders)
        {
            w.WriteStartObject();
            if (bind)
            {
                w.WriteStartArray(JsonNames.FolderItems);
                foreach (long message in folder.Messages)
                {
                    w.WriteStartObject();
                    w.WriteString(JsonNames.InternetMessageId, text[..MessageIds.InternetMessageId(a.Mailbox, message, text)]);
                    w.WriteNumber(JsonNames.SizeInBytes, MessageIds.Size(a.Mailbox, message));
                    w.WriteString(JsonNames.Id, text[..MessageIds.ItemId(a.Mailbox, message, text)]);
                    w.WriteEndObject();
                    count++;
                }

                w.WriteEndArray();
            }

            w.WriteString(JsonNames.Id, a.Mailbox.FolderId(folder.Path));
            w.WriteString(JsonNames.Path, folder.Path);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber(JsonNames.OperationCount, bind ? count : 1);
        return Finish(a.Time, a.Id, SimLog.Ual);
    }

    public SimRecord Write(SignIn s)
    {
        Utf8JsonWriter w = Start();
        w.WriteString(JsonNames.Graph.Id, s.Id);
        WriteTime(w, JsonNames.Graph.CreatedDateTime, s.Time, zone: true);
        if (s.ServicePrincipal)
        {
            w.WriteString(JsonNames.Graph.ServicePrincipalId, s.UserId);
            w.WriteString(JsonNames.Graph.ServicePrincipalName, s.UserDisplayName);
        }
        else
        {
            w.WriteString(JsonNames.Graph.UserDisplayName, s.UserDisplayName);
            w.WriteString(JsonNames.Graph.UserPrincipalName, s.Upn);
            w.WriteString(JsonNames.Graph.UserId, s.UserId);
        }

        w.WriteString(JsonNames.Graph.HomeTenantId, s.TenantId);
        w.WriteString(JsonNames.Graph.ResourceTenantId, s.TenantId);
        w.WriteString(JsonNames.Graph.AppId, s.AppId);
        w.WriteString(JsonNames.Graph.AppDisplayName, s.AppDisplayName);
        w.WriteString(JsonNames.Graph.IpAddress, s.IpAddress);
        w.WriteString(JsonNames.Graph.ClientAppUsed, s.ClientAppUsed);
        w.WriteString(JsonNames.Graph.CorrelationId, s.CorrelationId);
        w.WriteString(JsonNames.Graph.ConditionalAccessStatus, s.ErrorCode == 0 ? "success" : "notApplied");
        w.WriteBoolean(JsonNames.Graph.IsInteractive, s.Interactive);
        w.WriteString(JsonNames.Graph.RiskDetail, "none");
        w.WriteString(JsonNames.Graph.RiskLevelAggregated, "none");
        w.WriteString(JsonNames.Graph.RiskLevelDuringSignIn, "none");
        w.WriteString(JsonNames.Graph.RiskState, "none");
        w.WriteString(JsonNames.Graph.ResourceDisplayName, "Office 365 Exchange Online");
        w.WriteString(JsonNames.Graph.ResourceId, Client.ExchangeOnline);
        w.WriteStartObject(JsonNames.Graph.Status);
        w.WriteNumber(JsonNames.Graph.ErrorCode, s.ErrorCode);
        w.WriteString(JsonNames.Graph.FailureReason, s.ErrorCode == 0 ? "Other." : "Error validating credentials due to invalid username or password.");
        w.WriteNull(JsonNames.Graph.AdditionalDetails);
        w.WriteEndObject();
        w.WriteStartObject(JsonNames.Graph.DeviceDetail);
        w.WriteString(JsonNames.Graph.DeviceId, s.DeviceId);
        w.WriteString(JsonNames.Graph.DisplayName, s.DeviceName);
        w.WriteString(JsonNames.Graph.OperatingSystem, s.OperatingSystem);
        w.WriteString(JsonNames.Graph.Browser, s.Browser);
        w.WriteBoolean(JsonNames.Graph.IsCompliant, s.DeviceId.Length > 0);
        w.WriteBoolean(JsonNames.Graph.IsManaged, s.DeviceId.Length > 0);
        w.WriteString(JsonNames.Graph.TrustType, s.DeviceId.Length > 0 ? "Azure AD registered" : "");
        w.WriteEndObject();
        w.WriteStartObject(JsonNames.Graph.Location);
        w.WriteString(JsonNames.Graph.City, s.City);
        w.WriteString(JsonNames.Graph.CountryOrRegion, s.CountryOrRegion);
        w.WriteEndObject();
        w.WriteString(JsonNames.Graph.UserAgent, s.UserAgent);
        if (s.SessionId.Length > 0)
        {
            w.WriteString(JsonNames.Graph.SessionId, s.SessionId);
        }

        w.WriteString(JsonNames.Graph.UniqueTokenIdentifier, s.TokenId);
        w.WriteStartArray(JsonNames.Graph.SignInEventTypes);
        w.WriteStringValue(s.ServicePrincipal ? "servicePrincipal" : s.Interactive ? "interactiveUser" : "nonInteractiveUser");
        w.WriteEndArray();
        return Finish(s.Time, s.Id, SimLog.SignIns);
    }

    public SimRecord Write(AdminOperation o)
    {
        Utf8JsonWriter w = Start();
        bool exchange = o.RecordType == 1;
        WriteTime(w, JsonNames.CreationTime, o.Time, zone: false);
        w.WriteString(JsonNames.Id, o.Id);
        w.WriteString(JsonNames.Operation, o.Operation);
        w.WriteString(JsonNames.OrganizationId, o.TenantId);
        w.WriteNumber(JsonNames.RecordType, o.RecordType);
        w.WriteString(JsonNames.ResultStatus, exchange ? "True" : "Success");
        w.WriteString(JsonNames.UserKey, o.UserKey);
        w.WriteNumber(JsonNames.UserType, 0);
        w.WriteNumber(JsonNames.Version, 1);
        w.WriteString(JsonNames.Workload, exchange ? "Exchange" : "AzureActiveDirectory");
        w.WriteString(JsonNames.ClientIP, exchange ? o.ClientIp + ":" + (40000 + (o.Id[0] * 97 % 20000)).ToString(CultureInfo.InvariantCulture) : o.ClientIp);
        w.WriteString(JsonNames.ObjectId, o.ObjectId);
        w.WriteString(JsonNames.UserId, o.UserId);
        if (exchange)
        {
            if (o.AppId is { } app)
            {
                w.WriteString(JsonNames.AppId, app);
                w.WriteString(JsonNames.ClientAppId, app);
            }

            w.WriteBoolean(JsonNames.ExternalAccess, false);
            w.WriteString(JsonNames.OrganizationName, o.TenantDomain);
            w.WriteString(JsonNames.OriginatingServer, "SA1PR09MB8012 (15.20.6433.024)");
            w.WriteStartArray(JsonNames.Parameters);
            foreach ((string name, string value) in o.Parameters)
            {
                Property(w, name, value);
            }

            w.WriteEndArray();
            if (o.SessionId is { } session)
            {
                w.WriteString(JsonNames.SessionId, session);
                w.WriteStartObject(JsonNames.AppAccessContext);
                w.WriteString(JsonNames.AADSessionId, session);
                if (o.TokenId is { } token)
                {
                    w.WriteString(JsonNames.UniqueTokenId, token);
                }

                w.WriteEndObject();
            }
        }
        else
        {
            w.WriteNumber(JsonNames.AzureActiveDirectoryEventType, 1);
            w.WriteStartArray(JsonNames.ExtendedProperties);
            Property(w, "extendedAuditEventCategory", "ServicePrincipal");
            w.WriteEndArray();
            w.WriteStartArray(JsonNames.ModifiedProperties);
            foreach ((string name, string value) in o.ModifiedProperties)
            {
                w.WriteStartObject();
                w.WriteString(JsonNames.Name, name);
                w.WriteString(JsonNames.NewValue, value);
                w.WriteString(JsonNames.OldValue, "");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray(JsonNames.Actor);
            w.WriteStartObject();
            w.WriteString(JsonNames.ID, o.UserId);
            w.WriteNumber(JsonNames.Type, 5);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString(JsonNames.ActorContextId, o.TenantId);
            w.WriteStartArray(JsonNames.Target);
            foreach ((string id, int type) in o.Targets)
            {
                w.WriteStartObject();
                w.WriteString(JsonNames.ID, id);
                w.WriteNumber(JsonNames.Type, type);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString(JsonNames.TargetContextId, o.TenantId);
        }

        return Finish(o.Time, o.Id, SimLog.Ual);
    }

    /// <summary>A time to the second, <c>2023-05-02T08:15:00</c>, with <c>Z</c> when <paramref name="zone"/>.</summary>
    private static void WriteTime(Utf8JsonWriter w, JsonEncodedText name, DateTime time, bool zone)
    {
        Span<byte> text = stackalloc byte[20];
        time.TryFormat(text, out int length, "s", CultureInfo.InvariantCulture);
        if (zone)
        {
            text[length++] = (byte)'Z';
        }

        w.WriteString(name, text[..length]);
    }

    private static void Property(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString(JsonNames.Name, name);
        w.WriteString(JsonNames.Value, value);
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
