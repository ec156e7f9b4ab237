using System.Net;
using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Builds sign-in events from Entra sign-in records: Graph <c>signIn</c> objects, and Azure Monitor
/// diagnostic records whose <c>properties</c> hold one (the envelope fills what the sign-in lacks). One per worker.
/// </summary>
internal sealed class SignInRecordBuilder(ClientAddressReader addresses, Utf8StringPool pool)
{
    private readonly RecordFields _innerFields = new(pool);

    private Utf8StringPool Pool => pool;

    public NormalizeResult BuildFromDiagnosticRecord(RecordFields envelope, byte[] buffer, int start, int length, RecordOrigin origin)
    {
        string? category = envelope.GetString(Field.Category);
        if (category is not null && !category.Contains("SignIn", StringComparison.OrdinalIgnoreCase))
        {
            return NormalizeResult.Reject(
                RejectionCodes.UnsupportedCategory,
                $"Diagnostic records of category '{RecordNormalizer.Bounded(category)}' are not read yet; sign-in categories are.");
        }

        ReadOnlySpan<byte> properties = envelope.GetNestedJson(Field.Properties);
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

        return Build(_innerFields, envelope, buffer, start, length, origin with { Shape = SourceShape.SignInDiagnosticRecords });
    }

    public NormalizeResult Build(RecordFields f, RecordFields? envelope, byte[] buffer, int start, int length, RecordOrigin origin)
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

        (IPAddress? ip, string? ipText) = addresses.Read(f, Field.IpAddress, Field.CallerIpAddress, Field.None, Field.None);
        if (ipText is null && envelope is not null)
        {
            (ip, ipText) = addresses.Read(envelope, Field.CallerIpAddress, Field.IpAddress, Field.None, Field.None);
        }

        int? errorCode = null;
        string?[]? status = f.SignInStatus ?? (f.GetNestedJson(Field.Status) is { IsEmpty: false } statusJson
            ? NestedValues.ReadObjectMembers(statusJson, Pool, RecordFields.SignInStatusMembers)
            : null);
        if (status?[0] is { } code && int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out int parsed))
        {
            errorCode = parsed;
        }

        errorCode ??= f.GetInt(Field.ResultType) ?? envelope?.GetInt(Field.ResultType);
        string?[] location = f.SignInLocation ?? (f.GetNestedJson(Field.Location) is { IsEmpty: false } loc
            ? NestedValues.ReadObjectMembers(loc, Pool, RecordFields.SignInLocationMembers)
            : [null, null]);
        string?[] device = f.SignInDevice ?? (f.GetNestedJson(Field.DeviceDetail) is { IsEmpty: false } dev
            ? NestedValues.ReadObjectMembers(dev, Pool, RecordFields.SignInDeviceMembers)
            : [null, null, null]);
        List<string> eventTypes = f.GetNestedJson(Field.SignInEventTypes) is { IsEmpty: false } types
            ? NestedValues.ReadStringArray(types, Pool)
            : [];
        bool? interactive = f.GetBool(Field.IsInteractive);
        string? category = f.GetString(Field.Category) ?? envelope?.GetString(Field.Category);

        string operation = f.GetString(Field.OperationName) ?? envelope?.GetString(Field.OperationName) ?? "Sign-in activity";
        var common = new EventHeader(
            f.GetIdentifier(Field.Id) is { IsEmpty: false } id ? id : RecordIds.Synthetic(buffer, start, length),
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
            SessionId: f.GetIdentifier(Field.SessionId),
            UniqueTokenId: f.GetNonEmptyString(Field.UniqueTokenIdentifier, pooled: false),
            CorrelationId: f.GetIdentifier(Field.CorrelationId) is { IsEmpty: false } correlation ? correlation : envelope?.GetIdentifier(Field.CorrelationId) ?? default,
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
}
