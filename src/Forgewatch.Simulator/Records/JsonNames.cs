using System.Text.Json;

namespace Forgewatch.Simulator.Records;

/// <summary>Property names of the records, encoded once: a writer given a string name transcodes and checks
/// it on every call, which was a good part of the simulator's time.</summary>
internal static class JsonNames
{
    public static readonly JsonEncodedText AADSessionId = JsonEncodedText.Encode("AADSessionId");

    public static readonly JsonEncodedText APIId = JsonEncodedText.Encode("APIId");

    public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("Actor");

    public static readonly JsonEncodedText ActorContextId = JsonEncodedText.Encode("ActorContextId");

    public static readonly JsonEncodedText AppAccessContext = JsonEncodedText.Encode("AppAccessContext");

    public static readonly JsonEncodedText AppId = JsonEncodedText.Encode("AppId");

    public static readonly JsonEncodedText AzureActiveDirectoryEventType = JsonEncodedText.Encode("AzureActiveDirectoryEventType");

    public static readonly JsonEncodedText ClientAppId = JsonEncodedText.Encode("ClientAppId");

    public static readonly JsonEncodedText ClientIP = JsonEncodedText.Encode("ClientIP");

    public static readonly JsonEncodedText ClientIPAddress = JsonEncodedText.Encode("ClientIPAddress");

    public static readonly JsonEncodedText ClientInfoString = JsonEncodedText.Encode("ClientInfoString");

    public static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode("CorrelationId");

    public static readonly JsonEncodedText CreationTime = JsonEncodedText.Encode("CreationTime");

    public static readonly JsonEncodedText ExtendedProperties = JsonEncodedText.Encode("ExtendedProperties");

    public static readonly JsonEncodedText ExternalAccess = JsonEncodedText.Encode("ExternalAccess");

    public static readonly JsonEncodedText FolderItems = JsonEncodedText.Encode("FolderItems");

    public static readonly JsonEncodedText Folders = JsonEncodedText.Encode("Folders");

    public static readonly JsonEncodedText ID = JsonEncodedText.Encode("ID");

    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("Id");

    public static readonly JsonEncodedText InternalLogonType = JsonEncodedText.Encode("InternalLogonType");

    public static readonly JsonEncodedText InternetMessageId = JsonEncodedText.Encode("InternetMessageId");


    public static readonly JsonEncodedText IssuedAtTime = JsonEncodedText.Encode("IssuedAtTime");

    public static readonly JsonEncodedText LogonType = JsonEncodedText.Encode("LogonType");

    public static readonly JsonEncodedText LogonUserSid = JsonEncodedText.Encode("LogonUserSid");


    public static readonly JsonEncodedText MailboxGuid = JsonEncodedText.Encode("MailboxGuid");

    public static readonly JsonEncodedText MailboxOwnerSid = JsonEncodedText.Encode("MailboxOwnerSid");

    public static readonly JsonEncodedText MailboxOwnerUPN = JsonEncodedText.Encode("MailboxOwnerUPN");

    public static readonly JsonEncodedText ModifiedProperties = JsonEncodedText.Encode("ModifiedProperties");

    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("Name");

    public static readonly JsonEncodedText NewValue = JsonEncodedText.Encode("NewValue");

    public static readonly JsonEncodedText ObjectId = JsonEncodedText.Encode("ObjectId");

    public static readonly JsonEncodedText OldValue = JsonEncodedText.Encode("OldValue");

    public static readonly JsonEncodedText Operation = JsonEncodedText.Encode("Operation");

    public static readonly JsonEncodedText OperationCount = JsonEncodedText.Encode("OperationCount");

    public static readonly JsonEncodedText OperationProperties = JsonEncodedText.Encode("OperationProperties");

    public static readonly JsonEncodedText OrganizationId = JsonEncodedText.Encode("OrganizationId");

    public static readonly JsonEncodedText OrganizationName = JsonEncodedText.Encode("OrganizationName");

    public static readonly JsonEncodedText OriginatingServer = JsonEncodedText.Encode("OriginatingServer");

    public static readonly JsonEncodedText Parameters = JsonEncodedText.Encode("Parameters");

    public static readonly JsonEncodedText Path = JsonEncodedText.Encode("Path");

    public static readonly JsonEncodedText RecordType = JsonEncodedText.Encode("RecordType");

    public static readonly JsonEncodedText ResultStatus = JsonEncodedText.Encode("ResultStatus");

    public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("SessionId");

    public static readonly JsonEncodedText SizeInBytes = JsonEncodedText.Encode("SizeInBytes");

    public static readonly JsonEncodedText Target = JsonEncodedText.Encode("Target");

    public static readonly JsonEncodedText TargetContextId = JsonEncodedText.Encode("TargetContextId");

    public static readonly JsonEncodedText TokenObjectId = JsonEncodedText.Encode("TokenObjectId");

    public static readonly JsonEncodedText TokenTenantId = JsonEncodedText.Encode("TokenTenantId");

    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("Type");

    public static readonly JsonEncodedText UniqueTokenId = JsonEncodedText.Encode("UniqueTokenId");

    public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("UserId");

    public static readonly JsonEncodedText UserKey = JsonEncodedText.Encode("UserKey");

    public static readonly JsonEncodedText UserType = JsonEncodedText.Encode("UserType");

    public static readonly JsonEncodedText Value = JsonEncodedText.Encode("Value");

    public static readonly JsonEncodedText Version = JsonEncodedText.Encode("Version");

    public static readonly JsonEncodedText Workload = JsonEncodedText.Encode("Workload");

    /// <summary>Graph (camelCase) names.</summary>
    internal static class Graph
    {
        public static readonly JsonEncodedText AdditionalDetails = JsonEncodedText.Encode("additionalDetails");

        public static readonly JsonEncodedText AppDisplayName = JsonEncodedText.Encode("appDisplayName");

        public static readonly JsonEncodedText AppId = JsonEncodedText.Encode("appId");

        public static readonly JsonEncodedText Browser = JsonEncodedText.Encode("browser");

        public static readonly JsonEncodedText City = JsonEncodedText.Encode("city");

        public static readonly JsonEncodedText ClientAppUsed = JsonEncodedText.Encode("clientAppUsed");

        public static readonly JsonEncodedText ConditionalAccessStatus = JsonEncodedText.Encode("conditionalAccessStatus");

        public static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode("correlationId");

        public static readonly JsonEncodedText CountryOrRegion = JsonEncodedText.Encode("countryOrRegion");

        public static readonly JsonEncodedText CreatedDateTime = JsonEncodedText.Encode("createdDateTime");

        public static readonly JsonEncodedText DeviceDetail = JsonEncodedText.Encode("deviceDetail");

        public static readonly JsonEncodedText DeviceId = JsonEncodedText.Encode("deviceId");

        public static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");

        public static readonly JsonEncodedText ErrorCode = JsonEncodedText.Encode("errorCode");


        public static readonly JsonEncodedText FailureReason = JsonEncodedText.Encode("failureReason");

        public static readonly JsonEncodedText HomeTenantId = JsonEncodedText.Encode("homeTenantId");

        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");

        public static readonly JsonEncodedText IpAddress = JsonEncodedText.Encode("ipAddress");

        public static readonly JsonEncodedText IsCompliant = JsonEncodedText.Encode("isCompliant");

        public static readonly JsonEncodedText IsInteractive = JsonEncodedText.Encode("isInteractive");

        public static readonly JsonEncodedText IsManaged = JsonEncodedText.Encode("isManaged");

        public static readonly JsonEncodedText Location = JsonEncodedText.Encode("location");

        public static readonly JsonEncodedText OperatingSystem = JsonEncodedText.Encode("operatingSystem");

        public static readonly JsonEncodedText ResourceDisplayName = JsonEncodedText.Encode("resourceDisplayName");

        public static readonly JsonEncodedText ResourceId = JsonEncodedText.Encode("resourceId");

        public static readonly JsonEncodedText ResourceTenantId = JsonEncodedText.Encode("resourceTenantId");

        public static readonly JsonEncodedText RiskDetail = JsonEncodedText.Encode("riskDetail");

        public static readonly JsonEncodedText RiskLevelAggregated = JsonEncodedText.Encode("riskLevelAggregated");

        public static readonly JsonEncodedText RiskLevelDuringSignIn = JsonEncodedText.Encode("riskLevelDuringSignIn");

        public static readonly JsonEncodedText RiskState = JsonEncodedText.Encode("riskState");

        public static readonly JsonEncodedText ServicePrincipalId = JsonEncodedText.Encode("servicePrincipalId");

        public static readonly JsonEncodedText ServicePrincipalName = JsonEncodedText.Encode("servicePrincipalName");

        public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");

        public static readonly JsonEncodedText SignInEventTypes = JsonEncodedText.Encode("signInEventTypes");

        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");

        public static readonly JsonEncodedText TrustType = JsonEncodedText.Encode("trustType");

        public static readonly JsonEncodedText UniqueTokenIdentifier = JsonEncodedText.Encode("uniqueTokenIdentifier");

        public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent");

        public static readonly JsonEncodedText UserDisplayName = JsonEncodedText.Encode("userDisplayName");

        public static readonly JsonEncodedText UserId = JsonEncodedText.Encode("userId");

        public static readonly JsonEncodedText UserPrincipalName = JsonEncodedText.Encode("userPrincipalName");
    }
}
