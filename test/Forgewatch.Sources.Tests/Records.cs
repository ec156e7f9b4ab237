namespace Forgewatch.Sources.Tests;

/// <summary>Small real-shaped records for tests (field names and forms as the vendors write them).</summary>
internal static class Records
{
    public const string Tenant = "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21";

    public static string MailItemsAccessed(string id = "1b8a5c9e-0000-4000-8000-000000000001", string time = "2023-06-06T02:14:07", string ip = "51.89.156.153", string accessType = "Bind", string throttled = "False") =>
        "{\"CreationTime\":\"" + time + "\",\"Id\":\"" + id + "\",\"Operation\":\"MailItemsAccessed\",\"OrganizationId\":\"" + Tenant + "\"," +
        "\"RecordType\":50,\"ResultStatus\":\"Succeeded\",\"UserKey\":\"10032001\",\"UserType\":0,\"Version\":1,\"Workload\":\"Exchange\"," +
        "\"UserId\":\"bob@contoso.onmicrosoft.com\",\"AppId\":\"9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f\",\"ClientAppId\":\"9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f\"," +
        "\"ClientIPAddress\":\"" + ip + "\",\"ClientInfoString\":\"Client=REST;Client=RESTSystem;;\",\"ExternalAccess\":false,\"LogonType\":0," +
        "\"MailboxGuid\":\"a1b2c3d4-0000-4000-8000-00000000000b\",\"MailboxOwnerUPN\":\"bob@contoso.onmicrosoft.com\"," +
        "\"OperationProperties\":[{\"Name\":\"MailAccessType\",\"Value\":\"" + accessType + "\"},{\"Name\":\"IsThrottled\",\"Value\":\"" + throttled + "\"}]," +
        "\"SessionId\":\"f00dcafe-0000-4000-8000-000000000001\"," +
        "\"AppAccessContext\":{\"AADSessionId\":\"f00dcafe-0000-4000-8000-000000000001\",\"IssuedAtTime\":\"2023-06-06T02:00:00\",\"UniqueTokenId\":\"tokABC123\",\"CorrelationId\":\"c0ffee00-0000-4000-8000-000000000001\"}," +
        "\"OperationCount\":2,\"Folders\":[{\"Id\":\"LgAAAAInbox\",\"Path\":\"\\\\Inbox\",\"FolderItems\":[{\"InternetMessageId\":\"<m1@contoso.com>\",\"SizeInBytes\":100},{\"InternetMessageId\":\"<m2@contoso.com>\"}]}]}";

    public static string SignIn(string id = "5e1d0000-0000-4000-8000-000000000001") =>
        "{\"id\":\"" + id + "\",\"createdDateTime\":\"2023-06-05T08:01:12Z\",\"userDisplayName\":\"Bob\",\"userPrincipalName\":\"bob@contoso.onmicrosoft.com\"," +
        "\"userId\":\"0b0b0000-0000-4000-8000-000000000001\",\"appId\":\"d3590ed6-52b3-4102-aeff-aad2292ab01c\",\"appDisplayName\":\"Microsoft Office\"," +
        "\"ipAddress\":\"2001:db8::5\",\"clientAppUsed\":\"Mobile Apps and Desktop clients\",\"correlationId\":\"c0ffee00-0000-4000-8000-000000000009\"," +
        "\"isInteractive\":true,\"status\":{\"errorCode\":0},\"location\":{\"city\":\"Amsterdam\",\"countryOrRegion\":\"NL\"}," +
        "\"deviceDetail\":{\"operatingSystem\":\"Windows 10\",\"browser\":\"Edge 113.0.1774\"},\"sessionId\":\"f00dcafe-0000-4000-8000-000000000002\"," +
        "\"uniqueTokenIdentifier\":\"uti-xyz\",\"userAgent\":\"Mozilla/5.0\"}";
}
