using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Turns one JSON record of any supported schema into an <see cref="AuditEvent"/>, or says why it cannot.
/// Schemas are told apart by their members, not by the file: a UAL record has <c>CreationTime</c>, a
/// Sentinel <c>OfficeActivity</c> row has <c>TimeGenerated</c>/<c>OfficeWorkload</c>, a sign-in has
/// <c>createdDateTime</c>, and a diagnostic record wraps a sign-in in <c>properties</c>. One instance per
/// worker thread.
/// </summary>
internal sealed class RecordNormalizer
{
    private const int MaxIpTextLength = 128;
    private readonly RecordFields _fields;
    private readonly RecordFields _innerFields;
    private string? _lastIpText;
    private IPAddress? _lastIp;

    public RecordNormalizer(Utf8StringPool pool)
    {
        _fields = new RecordFields(pool);
        _innerFields = new RecordFields(pool);
    }

    private Utf8StringPool Pool => _fields.Pool;

    public NormalizeResult Normalize(byte[] buffer, int start, int length, Container container, string source, long line, long offset)
    {
        try
        {
            if (!_fields.Load(buffer, start, length))
            {
                return NormalizeResult.Reject(RejectionCodes.NotAnObject, "The record is not a JSON object.");
            }

            var origin = new RecordOrigin(source, default, line, offset);
            if (_fields.Has(Field.Properties) && (_fields.Has(Field.Category) || _fields.Has(Field.OperationName)))
            {
                return NormalizeDiagnosticRecord(buffer, start, length, origin);
            }

            if (_fields.Has(Field.CreationTime))
            {
                return NormalizeUal(_fields, buffer, start, length, origin with { Shape = UalShape(container) });
            }

            if (_fields.Has(Field.TimeGenerated) || _fields.Has(Field.OfficeWorkload) || _fields.Has(Field.OfficeId))
            {
                SourceShape shape = container == Container.Csv ? SourceShape.SentinelOfficeActivityCsv : SourceShape.SentinelOfficeActivityJson;
                return NormalizeUal(_fields, buffer, start, length, origin with { Shape = shape });
            }

            if (_fields.Has(Field.CreatedDateTime))
            {
                SourceShape shape = container == Container.ValueWrapper ? SourceShape.SignInGraphJson : SourceShape.SignInJsonLines;
                return NormalizeSignIn(_fields, null, buffer, start, length, origin with { Shape = shape });
            }

            return NormalizeResult.Reject(
                RejectionCodes.UnknownSchema,
                "Neither a unified audit log record (no CreationTime), a Sentinel OfficeActivity row (no TimeGenerated), nor an Entra sign-in (no createdDateTime).");
        }
        catch (JsonException e)
        {
            return NormalizeResult.Reject(RejectionCodes.InvalidJson, JsonError(e));
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 or bad escapes inside strings this way.
            return NormalizeResult.Reject(RejectionCodes.InvalidJson, Bounded(e.Message));
        }
    }

    private static SourceShape UalShape(Container container) => container switch
    {
        Container.JsonLines => SourceShape.UalJsonLines,
        Container.JsonObject => SourceShape.UalJsonObject,
        Container.Csv => SourceShape.UalCsv,
        _ => SourceShape.UalJsonArray,
    };

    private NormalizeResult NormalizeUal(RecordFields f, byte[] buffer, int start, int length, RecordOrigin origin)
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
        string recordId = f.GetFirstString(Field.Id, Field.OfficeId, Field.SourceRecordId, pooled: false) ?? SyntheticId(buffer, start, length);
        (IPAddress? ip, string? ipText) = ClientAddress(f, Field.ClientIPAddress, Field.ClientUnderscoreIPAddress, Field.ClientIP, Field.ActorIpAddress);

        NestedValues.AppAccessContext context = f.AppAccess
            ?? (f.GetNestedJson(Field.AppAccessContext) is { IsEmpty: false } contextJson ? NestedValues.ReadAppAccessContext(contextJson, Pool) : default);

        UalCategory category = UalOperations.Categorize(operation, recordType, workload);
        string? tenant = f.GetFirstString(Field.OrganizationId, Field.OfficeTenantId);
        string? appId = f.GetFirstString(Field.AppId, Field.ApplicationId);
        var common = new EventHeader(
            recordId,
            time.Value,
            operation,
            UalOperations.LogOf(category, recordType, workload),
            origin,
            TenantId: tenant,
            UserId: f.GetNonEmptyString(Field.UserId),
            AppId: appId,
            ClientAppId: f.GetNonEmptyString(Field.ClientAppId, sameAs: appId) ?? context.ClientAppId,
            ClientIp: ip,
            ClientIpText: ipText,
            UserAgent: f.GetFirstString(Field.ClientInfoString, Field.UserAgent),
            SessionId: f.GetNonEmptyString(Field.SessionId, sameAs: context.AadSessionId, pooled: false),
            AadSessionId: context.AadSessionId,
            UniqueTokenId: context.UniqueTokenId,
            CorrelationId: context.CorrelationId,
            Workload: workload,
            RecordType: recordType,
            ResultStatus: f.GetNonEmptyString(Field.ResultStatus));

        return category switch
        {
            UalCategory.MailAccess => NormalizeResult.Ok(BuildMailAccess(f, common, context)),
            UalCategory.SignIn => NormalizeResult.Ok(BuildUalSignIn(f, common)),
            UalCategory.MailboxAdmin or UalCategory.IdentityAdmin => NormalizeResult.Ok(BuildAdmin(f, common, category)),
            _ => NormalizeResult.Ok(new GenericEvent(common) { ObjectId = f.GetString(Field.ObjectId) }),
        };
    }

    private MailAccessEvent BuildMailAccess(RecordFields f, EventHeader common, NestedValues.AppAccessContext context)
    {
        NestedValues.MailAccessProperties properties = f.MailProperties
            ?? (f.GetNestedJson(Field.OperationProperties) is { IsEmpty: false } json ? NestedValues.ReadOperationProperties(json) : default);
        IReadOnlyList<AccessedFolder> folders = f.Folders
            ?? (f.GetNestedJson(Field.Folders) is { IsEmpty: false } foldersJson ? NestedValues.ReadFolders(foldersJson, Pool) : []);

        return new MailAccessEvent(common)
        {
            MailboxOwner = f.GetNonEmptyString(Field.MailboxOwnerUPN, sameAs: common.UserId),
            MailboxGuid = f.GetNonEmptyString(Field.MailboxGuid, pooled: false),
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

    private static SignInEvent BuildUalSignIn(RecordFields f, EventHeader common)
    {
        bool succeeded = common.Operation.Equals("UserLoggedIn", StringComparison.OrdinalIgnoreCase);
        int? error = f.GetInt(Field.ErrorNumber);
        return new SignInEvent(common)
        {
            Succeeded = succeeded,
            ErrorCode = error ?? (succeeded ? 0 : null),
        };
    }

    private AdminOperationEvent BuildAdmin(RecordFields f, EventHeader common, UalCategory category)
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

    private NormalizeResult NormalizeDiagnosticRecord(byte[] buffer, int start, int length, RecordOrigin origin)
    {
        string? category = _fields.GetString(Field.Category);
        if (category is not null && !category.Contains("SignIn", StringComparison.OrdinalIgnoreCase))
        {
            return NormalizeResult.Reject(
                RejectionCodes.UnsupportedCategory,
                $"Diagnostic records of category '{Bounded(category)}' are not read yet; sign-in categories are.");
        }

        ReadOnlySpan<byte> properties = _fields.GetNestedJson(Field.Properties);
        if (properties.IsEmpty || properties[0] != '{')
        {
            return NormalizeResult.Reject(RejectionCodes.NotAnObject, "The diagnostic record's properties is not a JSON object.");
        }

        // The inner object is parsed from its own copy so that the envelope's slots stay readable.
        byte[] inner = properties.ToArray();
        if (!_innerFields.Load(inner, 0, inner.Length))
        {
            return NormalizeResult.Reject(RejectionCodes.NotAnObject, "The diagnostic record's properties is not a JSON object.");
        }

        return NormalizeSignIn(_innerFields, _fields, buffer, start, length, origin with { Shape = SourceShape.SignInDiagnosticRecords });
    }

    private NormalizeResult NormalizeSignIn(RecordFields f, RecordFields? envelope, byte[] buffer, int start, int length, RecordOrigin origin)
    {
        DateTime? time = f.GetTime(Field.CreatedDateTime, out bool timePresent);
        if (time is null && envelope is not null && !timePresent)
        {
            time = envelope.GetTime(Field.Time, out timePresent);
        }

        if (time is null)
        {
            return timePresent
                ? NormalizeResult.Reject(RejectionCodes.InvalidTime, "createdDateTime is not a time between 2000 and 2099.")
                : NormalizeResult.Reject(RejectionCodes.MissingTime, "The sign-in has no createdDateTime.");
        }

        (IPAddress? ip, string? ipText) = ClientAddress(f, Field.IpAddress, Field.CallerIpAddress, Field.None, Field.None);
        if (ipText is null && envelope is not null)
        {
            (ip, ipText) = ClientAddress(envelope, Field.CallerIpAddress, Field.IpAddress, Field.None, Field.None);
        }

        int? errorCode = null;
        if (f.GetNestedJson(Field.Status) is { IsEmpty: false } status
            && NestedValues.ReadObjectMembers(status, Pool, "errorcode")[0] is { } code
            && int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out int parsed))
        {
            errorCode = parsed;
        }

        errorCode ??= f.GetInt(Field.ResultType) ?? envelope?.GetInt(Field.ResultType);
        string?[] location = f.GetNestedJson(Field.Location) is { IsEmpty: false } loc
            ? NestedValues.ReadObjectMembers(loc, Pool, "countryorregion", "city")
            : [null, null];
        string?[] device = f.GetNestedJson(Field.DeviceDetail) is { IsEmpty: false } dev
            ? NestedValues.ReadObjectMembers(dev, Pool, "operatingsystem", "browser", "deviceid")
            : [null, null, null];
        List<string> eventTypes = f.GetNestedJson(Field.SignInEventTypes) is { IsEmpty: false } types
            ? NestedValues.ReadStringArray(types, Pool)
            : [];
        bool? interactive = f.GetBool(Field.IsInteractive);
        string? category = f.GetString(Field.Category) ?? envelope?.GetString(Field.Category);

        string operation = f.GetString(Field.OperationName) ?? envelope?.GetString(Field.OperationName) ?? "Sign-in activity";
        var common = new EventHeader(
            f.GetString(Field.Id, pooled: false) is { Length: > 0 } id ? id : SyntheticId(buffer, start, length),
            time.Value,
            operation,
            SignInLogs.KindOf(category, eventTypes, interactive),
            origin,
            TenantId: f.GetFirstString(Field.TenantId, Field.ResourceTenantId, Field.HomeTenantId) ?? envelope?.GetNonEmptyString(Field.TenantId),
            UserId: f.GetNonEmptyString(Field.UserPrincipalName),
            AppId: f.GetNonEmptyString(Field.AppId),
            ClientIp: ip,
            ClientIpText: ipText,
            UserAgent: f.GetNonEmptyString(Field.UserAgent),
            SessionId: f.GetNonEmptyString(Field.SessionId, pooled: false),
            UniqueTokenId: f.GetNonEmptyString(Field.UniqueTokenIdentifier, pooled: false),
            CorrelationId: f.GetNonEmptyString(Field.CorrelationId, pooled: false) ?? envelope?.GetNonEmptyString(Field.CorrelationId, pooled: false),
            ResultStatus: errorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture));

        return NormalizeResult.Ok(new SignInEvent(common)
        {
            Succeeded = errorCode is null or 0,
            ErrorCode = errorCode,
            UserObjectId = f.GetString(Field.UserId),
            AppDisplayName = f.GetString(Field.AppDisplayName),
            ResourceId = f.GetString(Field.ResourceId),
            ResourceDisplayName = f.GetString(Field.ResourceDisplayName),
            ClientAppUsed = f.GetString(Field.ClientAppUsed),
            IsInteractive = interactive,
            Country = location[0],
            City = location[1],
            OperatingSystem = device[0],
            Browser = device[1],
            DeviceId = device[2],
            RiskLevelDuringSignIn = f.GetString(Field.RiskLevelDuringSignIn),
        });
    }

    /// <summary>Sentinel writes <c>Logon_Type</c> as a name.</summary>
    private static int? LogonTypeFromName(string? name) => name?.ToUpperInvariant() switch
    {
        "OWNER" => 0,
        "ADMIN" or "ADMINISTRATOR" => 1,
        "DELEGATE" or "DELEGATED" => 2,
        _ => null,
    };

    private (IPAddress? Ip, string? Text) ClientAddress(RecordFields f, Field a, Field b, Field c, Field d)
    {
        string? firstText = null;
        foreach (Field field in (ReadOnlySpan<Field>)[a, b, c, d])
        {
            if (field == Field.None || f.GetString(field) is not { Length: > 0 } text)
            {
                continue;
            }

            if (text.Length > MaxIpTextLength)
            {
                text = text[..MaxIpTextLength];
            }

            firstText ??= text;
            if (ReferenceEquals(text, _lastIpText))
            {
                // Field values repeat by reference (see RecordFields): the address parsed last time holds.
                return (_lastIp, text);
            }

            if (ValueParsers.ParseClientIp(text) is { } ip)
            {
                _lastIpText = text;
                _lastIp = ip;
                return (ip, text);
            }
        }

        return (null, firstText);
    }

    /// <summary>An id for a record that carries none: the same bytes give the same id, so exact
    /// repeats are still counted once.</summary>
    private static string SyntheticId(byte[] buffer, int start, int length)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.AsSpan(start, length), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The reader's message without its position suffix (relative to the record, so it would
    /// mislead next to the file position), with the record's byte position instead.</summary>
    private static string JsonError(JsonException e)
    {
        string message = e.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix > 0)
        {
            message = message[..suffix];
        }

        message = message.TrimEnd('.', ' ');
        return Bounded(e.BytePositionInLine is long at ? $"{message} (at byte {at} of the record)." : message + ".");
    }

    private static string Bounded(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");
}
