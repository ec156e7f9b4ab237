namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Every top-level member the normalizer keeps, across the UAL, Sentinel OfficeActivity, Graph sign-in and
/// diagnostic-record schemas. Names are matched case-insensitively, so <c>Id</c> and <c>id</c> share a
/// slot; which schema a record follows decides how a slot is read (see <see cref="RecordNormalizer"/>).
/// </summary>
internal enum Field : byte
{
    None = 0,

    // Shared or UAL
    Id,
    CreationTime,
    Operation,
    OrganizationId,
    RecordType,
    UserId,
    Workload,
    ResultStatus,
    AppId,
    ClientAppId,
    ApplicationId,
    ClientIPAddress,
    ClientIP,
    ActorIpAddress,
    ClientInfoString,
    UserAgent,
    SessionId,
    MailboxOwnerUPN,
    MailboxGuid,
    LogonType,
    ExternalAccess,
    OperationCount,
    OperationProperties,
    Folders,
    AppAccessContext,
    ObjectId,
    Parameters,
    ModifiedProperties,
    ExtendedProperties,
    Target,
    TokenTenantId,
    ErrorNumber,

    // Sentinel OfficeActivity
    TimeGenerated,
    OfficeId,
    OfficeTenantId,
    OfficeWorkload,
    ClientUnderscoreIPAddress,
    SourceRecordId,

    // Entra sign-in (Graph signIn resource)
    CreatedDateTime,
    UserPrincipalName,
    AppDisplayName,
    IpAddress,
    ClientAppUsed,
    CorrelationId,
    Status,
    Location,
    DeviceDetail,
    IsInteractive,
    RiskLevelDuringSignIn,
    ResourceId,
    ResourceDisplayName,
    UniqueTokenIdentifier,
    SignInEventTypes,
    TenantId,
    ResourceTenantId,
    HomeTenantId,

    // Azure Monitor diagnostic record envelope
    Time,
    Category,
    Properties,
    CallerIpAddress,
    ResultType,
    OperationName,

    Count,
}
