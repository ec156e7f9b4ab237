using System.Globalization;
using Forgewatch.Simulator.Model;

namespace Forgewatch.Simulator.Records;

/// <summary>
/// Writes simulated records as the vendors do: <c>MailItemsAccessed</c> as a unified audit log record
/// (<c>CreationTime</c> without a zone, as the Management Activity API gives it) and sign-ins as Graph
/// <c>signIn</c> objects, each as one JSON text appended to a <see cref="JsonLine"/>.
/// </summary>
internal static class RecordJson
{
    public static void Write(MailAccess a, JsonLine w)
    {
        Start(w);
        w.Time(JsonNames.CreationTime, a.Time, zone: false);
        w.String(JsonNames.Id, a.Id);
        w.Verbatim(JsonNames.Operation, "\"MailItemsAccessed\""u8);
        w.String(JsonNames.OrganizationId, a.TenantId);
        w.Number(JsonNames.RecordType, 50);
        w.Verbatim(JsonNames.ResultStatus, "\"Succeeded\""u8);
        w.String(JsonNames.UserKey, a.ActorKey);
        w.Number(JsonNames.UserType, a.LogonType == 0 && a.SessionId is null ? 5 : 0);
        w.Number(JsonNames.Version, 1);
        w.Verbatim(JsonNames.Workload, "\"Exchange\""u8);
        w.String(JsonNames.ClientIP, a.ClientIp);
        w.String(JsonNames.UserId, a.ActorId);
        w.String(JsonNames.AppId, a.AppId);
        if (a.ClientAppId is { } clientApp)
        {
            w.String(JsonNames.ClientAppId, clientApp);
        }

        w.String(JsonNames.ClientIPAddress, a.ClientIp);
        w.String(JsonNames.ClientInfoString, a.ClientInfo);
        w.Boolean(JsonNames.ExternalAccess, false);
        w.Number(JsonNames.InternalLogonType, a.LogonType);
        w.Number(JsonNames.LogonType, a.LogonType);
        w.String(JsonNames.LogonUserSid, a.ActorSid);
        w.String(JsonNames.MailboxGuid, a.Mailbox.Guid);
        w.String(JsonNames.MailboxOwnerSid, a.Mailbox.OwnerSid);
        w.String(JsonNames.MailboxOwnerUPN, a.Mailbox.OwnerUpn);
        w.StartArray(JsonNames.OperationProperties);
        Property(w, "MailAccessType", a.AccessType);
        Property(w, "IsThrottled", a.Throttled ? "True" : "False");
        w.EndArray();
        w.String(JsonNames.OrganizationName, a.TenantDomain);
        w.String(JsonNames.OriginatingServer, a.Mailbox.OriginatingServer);
        if (a.SessionId is { } session)
        {
            w.String(JsonNames.SessionId, session);
        }

        w.StartObject(JsonNames.AppAccessContext);
        if (a.SessionId is { } aadSession)
        {
            w.String(JsonNames.AADSessionId, aadSession);
        }

        w.Time(JsonNames.IssuedAtTime, a.TokenIssued, zone: false);
        w.String(JsonNames.UniqueTokenId, a.TokenId);
        w.String(JsonNames.CorrelationId, a.CorrelationId);
        if (a.Rest)
        {
            w.String(JsonNames.APIId, Client.ExchangeOnline);
            w.String(JsonNames.ClientAppId, a.ClientAppId ?? a.AppId);
        }

        w.EndObject();
        if (a.Rest)
        {
            w.String(JsonNames.TokenObjectId, a.TokenObjectId);
            w.String(JsonNames.TokenTenantId, a.TenantId);
        }

        bool bind = a.AccessType == "Bind";
        int count = 0;
        Span<byte> text = stackalloc byte[MessageIds.MaxLength];
        w.StartArray(JsonNames.Folders);
        foreach (FolderRead folder in a.Folders)
        {
            w.StartObject();
            if (bind)
            {
                w.StartArray(JsonNames.FolderItems);
                foreach (long message in folder.Messages)
                {
                    w.StartObject();
                    w.String(JsonNames.InternetMessageId, text[..MessageIds.InternetMessageId(a.Mailbox, message, text)]);
                    w.Number(JsonNames.SizeInBytes, MessageIds.Size(a.Mailbox, message));
                    w.String(JsonNames.Id, text[..MessageIds.ItemId(a.Mailbox, message, text)]);
                    w.EndObject();
                    count++;
                }

                w.EndArray();
            }

            w.String(JsonNames.Id, a.Mailbox.FolderId(folder.Path));
            w.String(JsonNames.Path, folder.Path);
            w.EndObject();
        }

        w.EndArray();
        w.Number(JsonNames.OperationCount, bind ? count : 1);
        w.EndObject();
    }

    public static void Write(SignIn s, JsonLine w)
    {
        Start(w);
        w.String(JsonNames.Graph.Id, s.Id);
        w.Time(JsonNames.Graph.CreatedDateTime, s.Time, zone: true);
        if (s.ServicePrincipal)
        {
            w.String(JsonNames.Graph.ServicePrincipalId, s.UserId);
            w.String(JsonNames.Graph.ServicePrincipalName, s.UserDisplayName);
        }
        else
        {
            w.String(JsonNames.Graph.UserDisplayName, s.UserDisplayName);
            w.String(JsonNames.Graph.UserPrincipalName, s.Upn);
            w.String(JsonNames.Graph.UserId, s.UserId);
        }

        w.String(JsonNames.Graph.HomeTenantId, s.TenantId);
        w.String(JsonNames.Graph.ResourceTenantId, s.TenantId);
        w.String(JsonNames.Graph.AppId, s.AppId);
        w.String(JsonNames.Graph.AppDisplayName, s.AppDisplayName);
        w.String(JsonNames.Graph.IpAddress, s.IpAddress);
        w.String(JsonNames.Graph.ClientAppUsed, s.ClientAppUsed);
        w.String(JsonNames.Graph.CorrelationId, s.CorrelationId);
        w.Verbatim(JsonNames.Graph.ConditionalAccessStatus, s.ErrorCode == 0 ? "\"success\""u8 : "\"notApplied\""u8);
        w.Boolean(JsonNames.Graph.IsInteractive, s.Interactive);
        w.Verbatim(JsonNames.Graph.RiskDetail, "\"none\""u8);
        w.Verbatim(JsonNames.Graph.RiskLevelAggregated, "\"none\""u8);
        w.Verbatim(JsonNames.Graph.RiskLevelDuringSignIn, "\"none\""u8);
        w.Verbatim(JsonNames.Graph.RiskState, "\"none\""u8);
        w.Verbatim(JsonNames.Graph.ResourceDisplayName, "\"Office 365 Exchange Online\""u8);
        w.String(JsonNames.Graph.ResourceId, Client.ExchangeOnline);
        w.StartObject(JsonNames.Graph.Status);
        w.Number(JsonNames.Graph.ErrorCode, s.ErrorCode);
        w.Verbatim(JsonNames.Graph.FailureReason, s.ErrorCode == 0 ? "\"Other.\""u8 : "\"Error validating credentials due to invalid username or password.\""u8);
        w.Null(JsonNames.Graph.AdditionalDetails);
        w.EndObject();
        w.StartObject(JsonNames.Graph.DeviceDetail);
        w.String(JsonNames.Graph.DeviceId, s.DeviceId);
        w.String(JsonNames.Graph.DisplayName, s.DeviceName);
        w.String(JsonNames.Graph.OperatingSystem, s.OperatingSystem);
        w.String(JsonNames.Graph.Browser, s.Browser);
        w.Boolean(JsonNames.Graph.IsCompliant, s.DeviceId.Length > 0);
        w.Boolean(JsonNames.Graph.IsManaged, s.DeviceId.Length > 0);
        w.Verbatim(JsonNames.Graph.TrustType, s.DeviceId.Length > 0 ? "\"Azure AD registered\""u8 : "\"\""u8);
        w.EndObject();
        w.StartObject(JsonNames.Graph.Location);
        w.String(JsonNames.Graph.City, s.City);
        w.String(JsonNames.Graph.CountryOrRegion, s.CountryOrRegion);
        w.EndObject();
        w.String(JsonNames.Graph.UserAgent, s.UserAgent);
        if (s.SessionId.Length > 0)
        {
            w.String(JsonNames.Graph.SessionId, s.SessionId);
        }

        w.String(JsonNames.Graph.UniqueTokenIdentifier, s.TokenId);
        w.StartArray(JsonNames.Graph.SignInEventTypes);
        w.StringValue(s.ServicePrincipal ? "servicePrincipal" : s.Interactive ? "interactiveUser" : "nonInteractiveUser");
        w.EndArray();
        w.EndObject();
    }

    public static void Write(AdminOperation o, JsonLine w)
    {
        Start(w);
        bool exchange = o.RecordType == 1;
        w.Time(JsonNames.CreationTime, o.Time, zone: false);
        w.String(JsonNames.Id, o.Id);
        w.String(JsonNames.Operation, o.Operation);
        w.String(JsonNames.OrganizationId, o.TenantId);
        w.Number(JsonNames.RecordType, o.RecordType);
        w.String(JsonNames.ResultStatus, exchange ? "True" : "Success");
        w.String(JsonNames.UserKey, o.UserKey);
        w.Number(JsonNames.UserType, 0);
        w.Number(JsonNames.Version, 1);
        w.String(JsonNames.Workload, exchange ? "Exchange" : "AzureActiveDirectory");
        w.String(JsonNames.ClientIP, exchange ? o.ClientIp + ":" + (40000 + (o.Id[0] * 97 % 20000)).ToString(CultureInfo.InvariantCulture) : o.ClientIp);
        w.String(JsonNames.ObjectId, o.ObjectId);
        w.String(JsonNames.UserId, o.UserId);
        if (exchange)
        {
            if (o.AppId is { } app)
            {
                w.String(JsonNames.AppId, app);
                w.String(JsonNames.ClientAppId, app);
            }

            w.Boolean(JsonNames.ExternalAccess, false);
            w.String(JsonNames.OrganizationName, o.TenantDomain);
            w.String(JsonNames.OriginatingServer, "SA1PR09MB8012 (15.20.6433.024)");
            w.StartArray(JsonNames.Parameters);
            foreach ((string name, string value) in o.Parameters)
            {
                Property(w, name, value);
            }

            w.EndArray();
            if (o.SessionId is { } session)
            {
                w.String(JsonNames.SessionId, session);
                w.StartObject(JsonNames.AppAccessContext);
                w.String(JsonNames.AADSessionId, session);
                if (o.TokenId is { } token)
                {
                    w.String(JsonNames.UniqueTokenId, token);
                }

                w.EndObject();
            }
        }
        else
        {
            w.Number(JsonNames.AzureActiveDirectoryEventType, 1);
            w.StartArray(JsonNames.ExtendedProperties);
            Property(w, "extendedAuditEventCategory", "ServicePrincipal");
            w.EndArray();
            w.StartArray(JsonNames.ModifiedProperties);
            foreach ((string name, string value) in o.ModifiedProperties)
            {
                w.StartObject();
                w.String(JsonNames.Name, name);
                w.String(JsonNames.NewValue, value);
                w.String(JsonNames.OldValue, "");
                w.EndObject();
            }

            w.EndArray();
            w.StartArray(JsonNames.Actor);
            w.StartObject();
            w.String(JsonNames.ID, o.UserId);
            w.Number(JsonNames.Type, 5);
            w.EndObject();
            w.EndArray();
            w.String(JsonNames.ActorContextId, o.TenantId);
            w.StartArray(JsonNames.Target);
            foreach ((string id, int type) in o.Targets)
            {
                w.StartObject();
                w.String(JsonNames.ID, id);
                w.Number(JsonNames.Type, type);
                w.EndObject();
            }

            w.EndArray();
            w.String(JsonNames.TargetContextId, o.TenantId);
        }

        w.EndObject();
    }

    private static void Property(JsonLine w, string name, string value)
    {
        w.StartObject();
        w.String(JsonNames.Name, name);
        w.String(JsonNames.Value, value);
        w.EndObject();
    }

    private static void Start(JsonLine w)
    {
        w.EndText();
        w.StartObject();
    }
}
