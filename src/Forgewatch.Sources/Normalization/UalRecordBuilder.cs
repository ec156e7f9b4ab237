using System.Net;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Builds events from unified audit log records, whether they come as the vendor writes them or as
/// Sentinel <c>OfficeActivity</c> rows (renamed members are read as their UAL twins). One per worker.
/// </summary>
internal sealed class UalRecordBuilder(ClientAddressReader addresses, Utf8StringPool pool)
{
    private readonly FolderReader _folders = new(pool);

    private Utf8StringPool Pool => pool;

    public NormalizeResult Build(RecordFields f, byte[] buffer, int start, int length, RecordOrigin origin)
    {
        Field timeField = f.Has(Field.CreationTime) ? Field.CreationTime : Field.TimeGenerated;
        DateTime? time = f.GetTime(timeField, out bool timePresent);
        if (time is null)
        {
            return timePresent
                ? NormalizeResult.Reject(RejectionCodes.InvalidTime, $"{timeField} is not a time between 2000 and 2099.")
                : NormalizeResult.Reject(RejectionCodes.MissingTime, "The record has no CreationTime.");
        }

        string? operation = f.GetString(Field.Operation);
        if (string.IsNullOrEmpty(operation))
        {
            return NormalizeResult.Reject(RejectionCodes.MissingOperation, "The record has no Operation.");
        }

        int? recordType = f.GetInt(Field.RecordType) ?? UalRecordTypes.FromName(f.GetString(Field.RecordType));
        string? workload = f.GetFirstString(Field.Workload, Field.OfficeWorkload);
        // Ids, session and token identifiers are (nearly) unique: pooling them would only churn the pool.
        Identifier recordId = FirstIdentifier(f, Field.Id, Field.OfficeId, Field.SourceRecordId);
        if (recordId.IsEmpty)
        {
            recordId = RecordIds.Synthetic(buffer, start, length);
        }

        (IPAddress? ip, string? ipText) = addresses.Read(f, Field.ClientIPAddress, Field.ClientUnderscoreIPAddress, Field.ClientIP, Field.ActorIpAddress);

        NestedValues.AppAccessContext context = f.AppAccess
            ?? (f.GetNestedJson(Field.AppAccessContext) is { IsEmpty: false } contextJson ? NestedValues.ReadAppAccessContext(contextJson, Pool) : default);

        UalCategory category = UalOperations.Categorize(operation, recordType, workload);
        string? tenant = f.GetFirstString(Field.OrganizationId, Field.OfficeTenantId);
        string? appId = f.GetFirstString(Field.AppId, Field.ApplicationId);
        string? clientAppId = f.GetNonEmptyString(Field.ClientAppId, sameAs: appId);
        if (clientAppId is null && context.ClientAppIdSkipped && f.GetNestedJson(Field.AppAccessContext) is { IsEmpty: false } json)
        {
            // The record's ClientAppId looked present when the context was read, and is not after all
            // (written twice, the last one empty): the context's is needed.
            context = NestedValues.ReadAppAccessContext(json, Pool);
        }

        var common = new EventHeader(
            recordId,
            time.Value,
            operation,
            UalOperations.LogOf(category, recordType, workload),
            origin,
            TenantId: tenant,
            UserId: f.GetNonEmptyString(Field.UserId),
            AppId: appId,
            ClientAppId: clientAppId ?? context.ClientAppId,
            ClientIp: ip,
            ClientIpText: ipText,
            UserAgent: f.GetFirstString(Field.ClientInfoString, Field.UserAgent),
            SessionId: f.GetIdentifier(Field.SessionId),
            AadSessionId: context.AadSessionId,
            UniqueTokenId: context.UniqueTokenId,
            CorrelationId: context.CorrelationId,
            Workload: workload,
            RecordType: recordType,
            ResultStatus: f.GetNonEmptyString(Field.ResultStatus));

        return category switch
        {
            UalCategory.MailAccess => NormalizeResult.Ok(BuildMailAccess(f, in common, in context)),
            UalCategory.SignIn => NormalizeResult.Ok(BuildUalSignIn(f, in common)),
            UalCategory.MailboxAdmin or UalCategory.IdentityAdmin => NormalizeResult.Ok(BuildAdmin(f, in common, category)),
            _ => NormalizeResult.Ok(new GenericEvent(common) { ObjectId = f.GetString(Field.ObjectId) }),
        };
    }

    private MailAccessEvent BuildMailAccess(RecordFields f, in EventHeader common, in NestedValues.AppAccessContext context)
    {
        NestedValues.MailAccessProperties properties = f.MailProperties
            ?? (f.GetNestedJson(Field.OperationProperties) is { IsEmpty: false } json ? NestedValues.ReadOperationProperties(json) : default);
        IReadOnlyList<AccessedFolder> folders = f.Folders
            ?? (f.GetNestedJson(Field.Folders) is { IsEmpty: false } foldersJson ? _folders.Read(foldersJson) : []);

        return new MailAccessEvent(common)
        {
            MailboxOwner = f.GetNonEmptyString(Field.MailboxOwnerUPN, sameAs: common.UserId),
            MailboxId = f.GetIdentifier(Field.MailboxGuid),
            LogonType = f.GetInt(Field.LogonType) ?? LogonTypeFromName(f.GetString(Field.LogonType)),
            ExternalAccess = f.GetBool(Field.ExternalAccess),
            AccessType = properties.AccessType,
            IsThrottled = properties.Throttled,
            OperationCount = f.GetInt(Field.OperationCount),
            Folders = folders,
            TokenIssuedAt = context.IssuedAt,
            TokenTenantId = f.GetNonEmptyString(Field.TokenTenantId, sameAs: common.TenantId),
        };
    }

    private static SignInEvent BuildUalSignIn(RecordFields f, in EventHeader common)
    {
        bool succeeded = common.Operation.Equals("UserLoggedIn", StringComparison.OrdinalIgnoreCase);
        int? error = f.GetInt(Field.ErrorNumber);
        return new SignInEvent(common)
        {
            Succeeded = succeeded,
            ErrorCode = error ?? (succeeded ? 0 : null),
        };
    }

    private AdminOperationEvent BuildAdmin(RecordFields f, in EventHeader common, UalCategory category)
    {
        var parameters = new List<NamedValue>();
        foreach (Field field in (ReadOnlySpan<Field>)[Field.Parameters, Field.ExtendedProperties])
        {
            if (f.GetNestedJson(field) is { IsEmpty: false } json)
            {
                parameters.AddRange(NestedValues.ReadNameValues(json, Pool));
            }
            else if (f.GetString(field, pooled: false) is { Length: > 0 } text)
            {
                // Some exports flatten cmdlet parameters into one "-Name value" string: keep it whole.
                parameters.Add(new NamedValue(field.ToString(), text));
            }
        }

        return new AdminOperationEvent(common)
        {
            Area = category == UalCategory.MailboxAdmin ? AdminArea.Mailbox : AdminArea.Identity,
            ObjectId = f.GetString(Field.ObjectId),
            MailboxOwner = f.GetString(Field.MailboxOwnerUPN),
            Parameters = parameters,
            ModifiedProperties = f.GetNestedJson(Field.ModifiedProperties) is { IsEmpty: false } modified
                ? NestedValues.ReadModifiedProperties(modified, Pool)
                : [],
            Targets = f.GetNestedJson(Field.Target) is { IsEmpty: false } targets ? NestedValues.ReadTargets(targets, Pool) : [],
        };
    }

    private static Identifier FirstIdentifier(RecordFields f, Field a, Field b, Field c)
    {
        foreach (Field field in (ReadOnlySpan<Field>)[a, b, c])
        {
            if (f.GetIdentifier(field) is { IsEmpty: false } id)
            {
                return id;
            }
        }

        return default;
    }

    /// <summary>Sentinel writes <c>Logon_Type</c> as a name.</summary>
    private static int? LogonTypeFromName(string? name) => name?.ToUpperInvariant() switch
    {
        "OWNER" => 0,
        "ADMIN" or "ADMINISTRATOR" => 1,
        "DELEGATE" or "DELEGATED" => 2,
        _ => null,
    };
}
