namespace Forgewatch.Simulator.Records;

/// <summary>Property names of the records as <see cref="JsonLine"/> writes them: UTF-8, quoted, with the
/// colon, ready to copy (a name given as a string would be transcoded and checked on every record).</summary>
internal static class JsonNames
{
    public static ReadOnlySpan<byte> AADSessionId => "\"AADSessionId\":"u8;

    public static ReadOnlySpan<byte> APIId => "\"APIId\":"u8;

    public static ReadOnlySpan<byte> Actor => "\"Actor\":"u8;

    public static ReadOnlySpan<byte> ActorContextId => "\"ActorContextId\":"u8;

    public static ReadOnlySpan<byte> AppAccessContext => "\"AppAccessContext\":"u8;

    public static ReadOnlySpan<byte> AppId => "\"AppId\":"u8;

    public static ReadOnlySpan<byte> AzureActiveDirectoryEventType => "\"AzureActiveDirectoryEventType\":"u8;

    public static ReadOnlySpan<byte> ClientAppId => "\"ClientAppId\":"u8;

    public static ReadOnlySpan<byte> ClientIP => "\"ClientIP\":"u8;

    public static ReadOnlySpan<byte> ClientIPAddress => "\"ClientIPAddress\":"u8;

    public static ReadOnlySpan<byte> ClientInfoString => "\"ClientInfoString\":"u8;

    public static ReadOnlySpan<byte> CorrelationId => "\"CorrelationId\":"u8;

    public static ReadOnlySpan<byte> CreationTime => "\"CreationTime\":"u8;

    public static ReadOnlySpan<byte> ExtendedProperties => "\"ExtendedProperties\":"u8;

    public static ReadOnlySpan<byte> ExternalAccess => "\"ExternalAccess\":"u8;

    public static ReadOnlySpan<byte> FolderItems => "\"FolderItems\":"u8;

    public static ReadOnlySpan<byte> Folders => "\"Folders\":"u8;

    public static ReadOnlySpan<byte> ID => "\"ID\":"u8;

    public static ReadOnlySpan<byte> Id => "\"Id\":"u8;

    public static ReadOnlySpan<byte> InternalLogonType => "\"InternalLogonType\":"u8;

    public static ReadOnlySpan<byte> InternetMessageId => "\"InternetMessageId\":"u8;

    public static ReadOnlySpan<byte> IssuedAtTime => "\"IssuedAtTime\":"u8;

    public static ReadOnlySpan<byte> LogonType => "\"LogonType\":"u8;

    public static ReadOnlySpan<byte> LogonUserSid => "\"LogonUserSid\":"u8;

    public static ReadOnlySpan<byte> MailboxGuid => "\"MailboxGuid\":"u8;

    public static ReadOnlySpan<byte> MailboxOwnerSid => "\"MailboxOwnerSid\":"u8;

    public static ReadOnlySpan<byte> MailboxOwnerUPN => "\"MailboxOwnerUPN\":"u8;

    public static ReadOnlySpan<byte> ModifiedProperties => "\"ModifiedProperties\":"u8;

    public static ReadOnlySpan<byte> Name => "\"Name\":"u8;

    public static ReadOnlySpan<byte> NewValue => "\"NewValue\":"u8;

    public static ReadOnlySpan<byte> ObjectId => "\"ObjectId\":"u8;

    public static ReadOnlySpan<byte> OldValue => "\"OldValue\":"u8;

    public static ReadOnlySpan<byte> Operation => "\"Operation\":"u8;

    public static ReadOnlySpan<byte> OperationCount => "\"OperationCount\":"u8;

    public static ReadOnlySpan<byte> OperationProperties => "\"OperationProperties\":"u8;

    public static ReadOnlySpan<byte> OrganizationId => "\"OrganizationId\":"u8;

    public static ReadOnlySpan<byte> OrganizationName => "\"OrganizationName\":"u8;

    public static ReadOnlySpan<byte> OriginatingServer => "\"OriginatingServer\":"u8;

    public static ReadOnlySpan<byte> Parameters => "\"Parameters\":"u8;

    public static ReadOnlySpan<byte> Path => "\"Path\":"u8;

    public static ReadOnlySpan<byte> RecordType => "\"RecordType\":"u8;

    public static ReadOnlySpan<byte> ResultStatus => "\"ResultStatus\":"u8;

    public static ReadOnlySpan<byte> SessionId => "\"SessionId\":"u8;

    public static ReadOnlySpan<byte> SizeInBytes => "\"SizeInBytes\":"u8;

    public static ReadOnlySpan<byte> Target => "\"Target\":"u8;

    public static ReadOnlySpan<byte> TargetContextId => "\"TargetContextId\":"u8;

    public static ReadOnlySpan<byte> TokenObjectId => "\"TokenObjectId\":"u8;

    public static ReadOnlySpan<byte> TokenTenantId => "\"TokenTenantId\":"u8;

    public static ReadOnlySpan<byte> Type => "\"Type\":"u8;

    public static ReadOnlySpan<byte> UniqueTokenId => "\"UniqueTokenId\":"u8;

    public static ReadOnlySpan<byte> UserId => "\"UserId\":"u8;

    public static ReadOnlySpan<byte> UserKey => "\"UserKey\":"u8;

    public static ReadOnlySpan<byte> UserType => "\"UserType\":"u8;

    public static ReadOnlySpan<byte> Value => "\"Value\":"u8;

    public static ReadOnlySpan<byte> Version => "\"Version\":"u8;

    public static ReadOnlySpan<byte> Workload => "\"Workload\":"u8;

    /// <summary>Graph (camelCase) names.</summary>
    internal static class Graph
    {
        public static ReadOnlySpan<byte> AdditionalDetails => "\"additionalDetails\":"u8;

        public static ReadOnlySpan<byte> AppDisplayName => "\"appDisplayName\":"u8;

        public static ReadOnlySpan<byte> AppId => "\"appId\":"u8;

        public static ReadOnlySpan<byte> Browser => "\"browser\":"u8;

        public static ReadOnlySpan<byte> City => "\"city\":"u8;

        public static ReadOnlySpan<byte> ClientAppUsed => "\"clientAppUsed\":"u8;

        public static ReadOnlySpan<byte> ConditionalAccessStatus => "\"conditionalAccessStatus\":"u8;

        public static ReadOnlySpan<byte> CorrelationId => "\"correlationId\":"u8;

        public static ReadOnlySpan<byte> CountryOrRegion => "\"countryOrRegion\":"u8;

        public static ReadOnlySpan<byte> CreatedDateTime => "\"createdDateTime\":"u8;

        public static ReadOnlySpan<byte> DeviceDetail => "\"deviceDetail\":"u8;

        public static ReadOnlySpan<byte> DeviceId => "\"deviceId\":"u8;

        public static ReadOnlySpan<byte> DisplayName => "\"displayName\":"u8;

        public static ReadOnlySpan<byte> ErrorCode => "\"errorCode\":"u8;

        public static ReadOnlySpan<byte> FailureReason => "\"failureReason\":"u8;

        public static ReadOnlySpan<byte> HomeTenantId => "\"homeTenantId\":"u8;

        public static ReadOnlySpan<byte> Id => "\"id\":"u8;

        public static ReadOnlySpan<byte> IpAddress => "\"ipAddress\":"u8;

        public static ReadOnlySpan<byte> IsCompliant => "\"isCompliant\":"u8;

        public static ReadOnlySpan<byte> IsInteractive => "\"isInteractive\":"u8;

        public static ReadOnlySpan<byte> IsManaged => "\"isManaged\":"u8;

        public static ReadOnlySpan<byte> Location => "\"location\":"u8;

        public static ReadOnlySpan<byte> OperatingSystem => "\"operatingSystem\":"u8;

        public static ReadOnlySpan<byte> ResourceDisplayName => "\"resourceDisplayName\":"u8;

        public static ReadOnlySpan<byte> ResourceId => "\"resourceId\":"u8;

        public static ReadOnlySpan<byte> ResourceTenantId => "\"resourceTenantId\":"u8;

        public static ReadOnlySpan<byte> RiskDetail => "\"riskDetail\":"u8;

        public static ReadOnlySpan<byte> RiskLevelAggregated => "\"riskLevelAggregated\":"u8;

        public static ReadOnlySpan<byte> RiskLevelDuringSignIn => "\"riskLevelDuringSignIn\":"u8;

        public static ReadOnlySpan<byte> RiskState => "\"riskState\":"u8;

        public static ReadOnlySpan<byte> ServicePrincipalId => "\"servicePrincipalId\":"u8;

        public static ReadOnlySpan<byte> ServicePrincipalName => "\"servicePrincipalName\":"u8;

        public static ReadOnlySpan<byte> SessionId => "\"sessionId\":"u8;

        public static ReadOnlySpan<byte> SignInEventTypes => "\"signInEventTypes\":"u8;

        public static ReadOnlySpan<byte> Status => "\"status\":"u8;

        public static ReadOnlySpan<byte> TrustType => "\"trustType\":"u8;

        public static ReadOnlySpan<byte> UniqueTokenIdentifier => "\"uniqueTokenIdentifier\":"u8;

        public static ReadOnlySpan<byte> UserAgent => "\"userAgent\":"u8;

        public static ReadOnlySpan<byte> UserDisplayName => "\"userDisplayName\":"u8;

        public static ReadOnlySpan<byte> UserId => "\"userId\":"u8;

        public static ReadOnlySpan<byte> UserPrincipalName => "\"userPrincipalName\":"u8;
    }
}
