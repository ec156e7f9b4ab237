using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Tests.Normalization;

public sealed class RecordNormalizerTests
{
    private static NormalizeResult Normalize(string json, Container container = Container.JsonLines)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return new RecordNormalizer(new Utf8StringPool()).Normalize(bytes, 0, bytes.Length, container, "test", 1, 0);
    }

    private static T Read<T>(string json)
        where T : AuditEvent
    {
        NormalizeResult result = Normalize(json);
        Assert.True(result.Event is not null, result.Reason);
        return Assert.IsType<T>(result.Event);
    }

    [Fact]
    public void Normalize_MailItemsAccessed_AllTypedFields()
    {
        MailAccessEvent e = Read<MailAccessEvent>(Records.MailItemsAccessed());

        Assert.Equal("1b8a5c9e-0000-4000-8000-000000000001", e.RecordId);
        Assert.Equal(new DateTime(2023, 6, 6, 2, 14, 7, DateTimeKind.Utc), e.Time);
        Assert.Equal(DateTimeKind.Utc, e.Time.Kind);
        Assert.Equal(Records.Tenant, e.TenantId);
        Assert.Equal("bob@contoso.onmicrosoft.com", e.UserId);
        Assert.Equal("bob@contoso.onmicrosoft.com", e.MailboxOwner);
        Assert.Equal("9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f", e.AppId);
        Assert.Equal("9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f", e.ClientAppId);
        Assert.Equal("51.89.156.153", e.ClientIp?.ToString());
        Assert.Equal("Client=REST;Client=RESTSystem;;", e.UserAgent);
        Assert.Equal("f00dcafe-0000-4000-8000-000000000001", e.SessionId);
        Assert.Equal("f00dcafe-0000-4000-8000-000000000001", e.AadSessionId);
        Assert.Equal("tokABC123", e.UniqueTokenId);
        Assert.Equal("a1b2c3d4-0000-4000-8000-00000000000b", e.MailboxGuid);
        Assert.True(e.MailboxId.TryGetGuid(out _), "a canonical mailbox GUID is kept without text");
        Assert.Equal("c0ffee00-0000-4000-8000-000000000001", e.CorrelationId);
        Assert.Equal(new DateTime(2023, 6, 6, 2, 0, 0, DateTimeKind.Utc), e.TokenIssuedAt);
        Assert.Equal(50, e.RecordType);
        Assert.Equal(LogKind.UalMailAccess, e.Log);
        Assert.Equal(MailAccessType.Bind, e.AccessType);
        Assert.False(e.IsThrottled);
        Assert.Equal(2, e.OperationCount);
        Assert.Equal(0, e.LogonType);
        Assert.False(e.ExternalAccess);
        AccessedFolder folder = Assert.Single(e.Folders);
        Assert.Equal("\\Inbox", folder.Path);
        Assert.Equal(["<m1@contoso.com>", "<m2@contoso.com>"], folder.InternetMessageIds);
    }

    [Fact]
    public void Normalize_SyncThrottled_Flagged()
    {
        MailAccessEvent e = Read<MailAccessEvent>(Records.MailItemsAccessed(accessType: "Sync", throttled: "True"));

        Assert.Equal(MailAccessType.Sync, e.AccessType);
        Assert.True(e.IsThrottled);
    }

    [Theory]
    [InlineData("51.89.156.153", "51.89.156.153")]
    [InlineData("51.89.156.153:49822", "51.89.156.153")]
    [InlineData("2001:db8::5", "2001:db8::5")]
    [InlineData("[2001:db8::5]", "2001:db8::5")]
    [InlineData("[2001:db8::5]:443", "2001:db8::5")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("[CORRECTIPV4 (10.90.0.1)]", "10.90.0.1")]
    [InlineData("HE1PR0102MB3228 (67.43.156.13)", "67.43.156.13")]
    [InlineData("NOTANIPV4 (10.9000.0.1)", null)]
    [InlineData("1.2.3", null)]
    [InlineData("1.2.3.4.5", null)]
    [InlineData("256.1.1.1", null)]
    [InlineData("1..2.3", null)]
    [InlineData("1.2.3.", null)]
    [InlineData("1.2.3.1000", null)]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("010.1.1.1", "8.1.1.1")]
    [InlineData("0x7f.1", null)]
    [InlineData("<script>", null)]
    public void Normalize_ClientIpForms_AddressOrNullWithRawText(string logged, string? expected)
    {
        MailAccessEvent e = Read<MailAccessEvent>(Records.MailItemsAccessed(ip: logged));

        Assert.Equal(expected, e.ClientIp?.ToString());
        Assert.Equal(logged, e.ClientIpText);
    }

    [Theory]
    [InlineData("record", "11111111-0000-4000-8000-000000000001")]
    [InlineData("absent", "22222222-0000-4000-8000-000000000002")]
    [InlineData("empty", "22222222-0000-4000-8000-000000000002")]
    [InlineData("empty after the context", "22222222-0000-4000-8000-000000000002")]
    [InlineData("after the context", "11111111-0000-4000-8000-000000000001")]
    public void Normalize_ClientAppId_TheRecordsOrElseTheTokensContext(string recordClientAppId, string expected)
    {
        const string Own = "\"ClientAppId\":\"11111111-0000-4000-8000-000000000001\",";
        string json = Records.MailItemsAccessed()
            .Replace("\"ClientAppId\":\"9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f\",", recordClientAppId switch
            {
                "record" => Own,
                "empty" or "empty after the context" => "\"ClientAppId\":\"\",",
                _ => string.Empty,
            }, StringComparison.Ordinal)
            .Replace("\"CorrelationId\":\"c0ffee00-0000-4000-8000-000000000001\"}", "\"CorrelationId\":\"c0ffee00-0000-4000-8000-000000000001\",\"ClientAppId\":\"22222222-0000-4000-8000-000000000002\"}", StringComparison.Ordinal);
        if (recordClientAppId == "empty after the context")
        {
            // Written twice: present (and not empty) when the context is read, empty in the end.
            json = json.Replace("\"ClientAppId\":\"\",", Own, StringComparison.Ordinal).Replace("\"OperationCount\":", "\"ClientAppId\":\"\",\"OperationCount\":", StringComparison.Ordinal);
        }
        else if (recordClientAppId == "after the context")
        {
            json = json.Replace("\"OperationCount\":", Own + "\"OperationCount\":", StringComparison.Ordinal);
        }

        Assert.Equal(expected, Read<MailAccessEvent>(json).ClientAppId);
    }

    [Fact]
    public void Normalize_SignInNestedObjectsRepeating_EachRecordReadAsAFreshReaderReadsIt()
    {
        const string Status = "\"status\":{\"errorCode\":0}";
        const string Location = "\"location\":{\"city\":\"Amsterdam\",\"countryOrRegion\":\"NL\"}";
        const string Device = "\"deviceDetail\":{\"operatingSystem\":\"Windows 10\",\"browser\":\"Edge 113.0.1774\"}";
        (string, string)[] replacements =
        [
            (Status, Status),
            (Status, "\"status\":{\"errorCode\":50126,\"failureReason\":\"Invalid password\"}"),
            (Status, Status),
            (Location, "\"location\":{\"city\":\"Utrecht\",\"countryOrRegion\":\"NL\",\"geoCoordinates\":{\"latitude\":52.1}}"),
            (Location, Location),
            (Device, "\"deviceDetail\":{\"OperatingSystem\":\"Ios 16.5\",\"browser\":\"Mobile Safari\",\"deviceId\":\"3d0f\"}"),
            (Device, "\"deviceDetail\":{\"operatingSystem\":\"Windows 10\",\"browser\":\"Edge 113.0.1774\"}  "),
            (Device, "\"deviceDetail\":{\"operating\\u0053ystem\":\"Escaped name\"}"),
            (Device, Device),
        ];
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        foreach ((string from, string to) in replacements)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Records.SignIn().Replace(from, to, StringComparison.Ordinal));
            var expected = Assert.IsType<SignInEvent>(new RecordNormalizer(new Utf8StringPool()).Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0, oneLine: true).Event);
            var actual = Assert.IsType<SignInEvent>(normalizer.Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0, oneLine: true).Event);

            Assert.Equal(
                (expected.ErrorCode, expected.Succeeded, expected.Country, expected.City, expected.OperatingSystem, expected.Browser, expected.DeviceId),
                (actual.ErrorCode, actual.Succeeded, actual.Country, actual.City, actual.OperatingSystem, actual.Browser, actual.DeviceId));
        }

        byte[] plain = Encoding.UTF8.GetBytes(Records.SignIn());
        var known = Assert.IsType<SignInEvent>(normalizer.Normalize(plain, 0, plain.Length, Container.JsonLines, "test", 1, 0, oneLine: true).Event);
        Assert.Equal((0, true, "NL", "Amsterdam", "Windows 10", "Edge 113.0.1774"), (known.ErrorCode, known.Succeeded, known.Country, known.City, known.OperatingSystem, known.Browser));
        byte[] failed = Encoding.UTF8.GetBytes(Records.SignIn().Replace(Status, replacements[1].Item2, StringComparison.Ordinal));
        var signIn = Assert.IsType<SignInEvent>(normalizer.Normalize(failed, 0, failed.Length, Container.JsonLines, "test", 1, 0, oneLine: true).Event);
        Assert.Equal((50126, false), (signIn.ErrorCode, signIn.Succeeded));
        byte[] escaped = Encoding.UTF8.GetBytes(Records.SignIn().Replace(Device, replacements[7].Item2, StringComparison.Ordinal));
        Assert.Equal("Escaped name", Assert.IsType<SignInEvent>(normalizer.Normalize(escaped, 0, escaped.Length, Container.JsonLines, "test", 1, 0, oneLine: true).Event).OperatingSystem);
    }

    [Fact]
    public void Normalize_OperationPropertiesRepeating_EachRecordReadAsAFreshReaderReadsIt()
    {
        // One normalizer skips an OperationProperties text it has read before; every record must still
        // come out as a normalizer that never saw the others reads it, malformed ones rejected alike.
        const string BindFalse = "[{\"Name\":\"MailAccessType\",\"Value\":\"Bind\"},{\"Name\":\"IsThrottled\",\"Value\":\"False\"}]";
        string[] properties =
        [
            BindFalse,
            "[{\"Name\":\"MailAccessType\",\"Value\":\"Sync\"},{\"Name\":\"IsThrottled\",\"Value\":\"True\"}]",
            BindFalse,
            BindFalse + "]",
            BindFalse[..^1] + ",{\"Name\":\"MailAccessType\",\"Value\":\"Sync\"}]",
            BindFalse + "x",
            "[{\"Name\":\"MailAccessType\",\"Value\":\"Bind\"},\n{\"Name\":\"IsThrottled\",\"Value\":\"True\"}]",
            "{\"MailAccessType\":\"Sync\",\"IsThrottled\":\"True\"}",
            "{\"MailAccessType\":\"Sync\",\"IsThrottled\":\"True\"}",
            BindFalse,
        ];
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        foreach (bool oneLine in new[] { false, true, false })
        {
            foreach (string value in properties)
            {
                string json = Records.MailItemsAccessed().Replace(BindFalse, value, StringComparison.Ordinal);
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                NormalizeResult expected = new RecordNormalizer(new Utf8StringPool()).Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0, oneLine);
                NormalizeResult actual = normalizer.Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0, oneLine);

                Assert.Equal(expected.ReasonCode, actual.ReasonCode);
                if (expected.Event is MailAccessEvent e)
                {
                    MailAccessEvent a = Assert.IsType<MailAccessEvent>(actual.Event);
                    Assert.Equal((e.AccessType, e.IsThrottled, e.SessionId, e.OperationCount), (a.AccessType, a.IsThrottled, a.SessionId, a.OperationCount));
                }
            }
        }

        // The texts above cover both outcomes: records read, and records rejected.
        byte[] bad = Encoding.UTF8.GetBytes(Records.MailItemsAccessed().Replace(BindFalse, BindFalse + "x", StringComparison.Ordinal));
        Assert.Equal(RejectionCodes.InvalidJson, normalizer.Normalize(bad, 0, bad.Length, Container.JsonLines, "test", 1, 0).ReasonCode);
    }

    [Fact]
    public void Normalize_AddressesChangingFromRecordToRecord_EachRecordKeepsItsOwn()
    {
        // One normalizer remembers the last address it made; a record with another address, in any form,
        // must not get it.
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        string[] logged = ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2:443", "2001:db8::1", "10.0.0.1", "010.0.0.1", "10.0.0.1"];
        string?[] expected = ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2", "2001:db8::1", "10.0.0.1", "8.0.0.1", "10.0.0.1"];
        for (int i = 0; i < logged.Length; i++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Records.MailItemsAccessed(ip: logged[i]));
            AuditEvent e = normalizer.Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0).Event!;
            Assert.Equal(expected[i], e.ClientIp?.ToString());
            Assert.Equal(logged[i], e.ClientIpText);
        }
    }

    [Theory]
    [InlineData("2023-06-06T02:14:07", "2023-06-06T02:14:07.0000000Z")]
    [InlineData("2023-06-06T02:14:07Z", "2023-06-06T02:14:07.0000000Z")]
    [InlineData("2023-06-06T02:14:07.1234567Z", "2023-06-06T02:14:07.1234567Z")]
    [InlineData("2023-06-06T04:14:07+02:00", "2023-06-06T02:14:07.0000000Z")]
    [InlineData("2023-06-06 02:14:07", "2023-06-06T02:14:07.0000000Z")]
    [InlineData("6/6/2023 2:14:07 AM", "2023-06-06T02:14:07.0000000Z")]
    [InlineData("6/6/2023, 2:14:07.000 AM", "2023-06-06T02:14:07.0000000Z")]
    public void Normalize_TimeForms_Utc(string logged, string expectedRoundTrip)
    {
        MailAccessEvent e = Read<MailAccessEvent>(Records.MailItemsAccessed(time: logged));

        Assert.Equal(expectedRoundTrip, e.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1899-01-01T00:00:00", RejectionCodes.InvalidTime)]
    [InlineData("2023-02-30T00:00:00", RejectionCodes.InvalidTime)]
    [InlineData("yesterday", RejectionCodes.InvalidTime)]
    public void Normalize_BadTime_Rejected(string logged, string code)
    {
        NormalizeResult result = Normalize(Records.MailItemsAccessed(time: logged));

        Assert.Null(result.Event);
        Assert.Equal(code, result.ReasonCode);
    }

    [Fact]
    public void Normalize_StringsForNumbersAndNumbersForStrings_Accepted()
    {
        string json = Records.MailItemsAccessed()
            .Replace("\"RecordType\":50", "\"RecordType\":\"50\"", StringComparison.Ordinal)
            .Replace("\"OperationCount\":2", "\"OperationCount\":\"2.0\"", StringComparison.Ordinal)
            .Replace("\"LogonType\":0", "\"LogonType\":\"2\"", StringComparison.Ordinal)
            .Replace("\"ExternalAccess\":false", "\"ExternalAccess\":\"True\"", StringComparison.Ordinal)
            .Replace("\"UserId\":\"bob@contoso.onmicrosoft.com\"", "\"UserId\":12345", StringComparison.Ordinal);

        MailAccessEvent e = Read<MailAccessEvent>(json);

        Assert.Equal(50, e.RecordType);
        Assert.Equal(2, e.OperationCount);
        Assert.Equal(2, e.LogonType);
        Assert.True(e.ExternalAccess);
        Assert.Equal("12345", e.UserId);
    }

    [Fact]
    public void Normalize_NestedMembersAsJsonStrings_ReadLikeObjects()
    {
        string json = "{\"TimeGenerated\":\"2023-06-07T01:12:00Z\",\"OfficeId\":\"00000000-0000-4000-8000-0000000000c1\",\"Operation\":\"MailItemsAccessed\"," +
            "\"OrganizationId\":\"" + Records.Tenant + "\",\"TenantId\":\"11111111-1111-1111-1111-111111111111\",\"RecordType\":\"ExchangeItemAggregated\",\"OfficeWorkload\":\"Exchange\"," +
            "\"UserId\":\"carol@contoso.onmicrosoft.com\",\"Client_IPAddress\":\"146.70.157.45\",\"Logon_Type\":\"Owner\"," +
            "\"Folders\":\"[{\\\"Path\\\":\\\"\\\\\\\\Inbox\\\",\\\"FolderItems\\\":[{\\\"InternetMessageId\\\":\\\"<x@y>\\\"}]}]\"," +
            "\"OperationProperties\":\"[{\\\"Name\\\":\\\"MailAccessType\\\",\\\"Value\\\":\\\"Bind\\\"}]\"," +
            "\"AppAccessContext\":\"{\\\"AADSessionId\\\":\\\"sess-1\\\",\\\"UniqueTokenId\\\":\\\"tok-1\\\"}\"}";

        NormalizeResult result = Normalize(json, Container.JsonArray);
        MailAccessEvent e = Assert.IsType<MailAccessEvent>(result.Event);

        Assert.Equal(SourceShape.SentinelOfficeActivityJson, e.Origin.Shape);
        Assert.Equal(Records.Tenant, e.TenantId);
        Assert.Equal(50, e.RecordType);
        Assert.Equal("Exchange", e.Workload);
        Assert.Equal("146.70.157.45", e.ClientIp?.ToString());
        Assert.Equal(0, e.LogonType);
        Assert.Equal(MailAccessType.Bind, e.AccessType);
        Assert.Equal(["<x@y>"], Assert.Single(e.Folders).InternetMessageIds);
        Assert.Equal("\\Inbox", e.Folders[0].Path);
        Assert.Equal("sess-1", e.AadSessionId);
        Assert.Equal("tok-1", e.UniqueTokenId);
    }

    [Fact]
    public void Normalize_EscapedMemberNames_Recognized()
    {
        string json = Records.MailItemsAccessed().Replace("\"Operation\"", "\"\\u004Fperation\"", StringComparison.Ordinal);

        Assert.Equal("MailItemsAccessed", Read<MailAccessEvent>(json).Operation);
    }

    [Fact]
    public void Normalize_NoId_ContentHashIdStableForSameBytes()
    {
        string json = "{\"CreationTime\":\"2020-02-28T09:42:45\",\"RecordType\":1,\"Operation\":\"Set-Mailbox\"}";

        AuditEvent first = Read<AdminOperationEvent>(json);
        AuditEvent second = Read<AdminOperationEvent>(json);

        Assert.StartsWith("sha256:", first.RecordId, StringComparison.Ordinal);
        Assert.Equal(first.RecordId, second.RecordId);
    }

    [Theory]
    [InlineData("{\"CreationTime\":\"2023-06-06T02:14:07\"}", RejectionCodes.MissingOperation)]
    [InlineData("{\"Operation\":\"MailItemsAccessed\"}", RejectionCodes.UnknownSchema)]
    [InlineData("[1,2]", RejectionCodes.NotAnObject)]
    [InlineData("{\"CreationTime\":", RejectionCodes.InvalidJson)]
    [InlineData("{\"CreationTime\":\"2023-06-06T02:14:07\",\"Operation\":\"X\"} trailing", RejectionCodes.InvalidJson)]
    [InlineData("{\"time\":\"2023-06-09T08:00:00Z\",\"category\":\"AuditLogs\",\"properties\":{}}", RejectionCodes.UnsupportedCategory)]
    public void Normalize_BadRecord_RejectedWithStableCode(string json, string code)
    {
        NormalizeResult result = Normalize(json);

        Assert.Null(result.Event);
        Assert.Equal(code, result.ReasonCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Normalize_GraphSignIn_TypedFields()
    {
        SignInEvent e = Read<SignInEvent>(Records.SignIn());

        Assert.Equal("5e1d0000-0000-4000-8000-000000000001", e.RecordId);
        Assert.Equal(new DateTime(2023, 6, 5, 8, 1, 12, DateTimeKind.Utc), e.Time);
        Assert.Equal("bob@contoso.onmicrosoft.com", e.UserId);
        Assert.Equal("0b0b0000-0000-4000-8000-000000000001", e.UserObjectId);
        Assert.Equal("d3590ed6-52b3-4102-aeff-aad2292ab01c", e.AppId);
        Assert.Equal("2001:db8::5", e.ClientIp?.ToString());
        Assert.Equal("f00dcafe-0000-4000-8000-000000000002", e.SessionId);
        Assert.Equal("uti-xyz", e.UniqueTokenId);
        Assert.Equal("c0ffee00-0000-4000-8000-000000000009", e.CorrelationId);
        Assert.True(e.Succeeded);
        Assert.Equal(0, e.ErrorCode);
        Assert.Equal("NL", e.Country);
        Assert.Equal("Windows 10", e.OperatingSystem);
        Assert.Equal(LogKind.EntraInteractiveSignIn, e.Log);
        Assert.Equal(SourceShape.SignInJsonLines, e.Origin.Shape);
    }

    [Fact]
    public void Normalize_FailedSignIn_NotSucceeded()
    {
        SignInEvent e = Read<SignInEvent>(Records.SignIn().Replace("\"errorCode\":0", "\"errorCode\":50126", StringComparison.Ordinal));

        Assert.False(e.Succeeded);
        Assert.Equal(50126, e.ErrorCode);
    }

    [Theory]
    [InlineData("New-InboxRule", 1, EventKind.MailboxAdmin, LogKind.UalExchangeAdmin)]
    [InlineData("UpdateInboxRules", 2, EventKind.MailboxAdmin, LogKind.UalExchangeItem)]
    [InlineData("Consent to application.", 8, EventKind.IdentityAdmin, LogKind.UalAzureAd)]
    [InlineData("UserLoggedIn", 15, EventKind.SignIn, LogKind.UalSignIn)]
    [InlineData("UserLoginFailed", 15, EventKind.SignIn, LogKind.UalSignIn)]
    [InlineData("FileAccessed", 6, EventKind.Generic, LogKind.UalOther)]
    [InlineData("Send", 2, EventKind.Generic, LogKind.UalExchangeItem)]
    public void Normalize_UalOperations_Categorized(string operation, int recordType, EventKind kind, LogKind log)
    {
        string workload = recordType is 1 or 2 ? "Exchange" : recordType is 8 or 15 ? "AzureActiveDirectory" : "SharePoint";
        string json = "{\"CreationTime\":\"2023-06-07T03:00:00\",\"Id\":\"00000000-0000-4000-8000-0000000000d1\",\"Operation\":\"" + operation + "\",\"RecordType\":" + recordType +
            ",\"Workload\":\"" + workload + "\",\"UserId\":\"carol@contoso.onmicrosoft.com\",\"OrganizationId\":\"" + Records.Tenant + "\"," +
            "\"Parameters\":[{\"Name\":\"ForwardTo\",\"Value\":\"x@evil.example\"}],\"ModifiedProperties\":[{\"Name\":\"ConsentAction.Permissions\",\"NewValue\":\"Mail.Read\",\"OldValue\":\"\"}],\"Target\":[{\"ID\":\"app-1\",\"Type\":1}]}";

        NormalizeResult result = Normalize(json);

        Assert.NotNull(result.Event);
        Assert.Equal(kind, result.Event.Kind);
        Assert.Equal(log, result.Event.Log);
        if (result.Event is AdminOperationEvent admin)
        {
            Assert.Contains(admin.Parameters, p => p.Name == "ForwardTo" && p.Value == "x@evil.example");
            Assert.Contains(admin.ModifiedProperties, p => p.Name == "ConsentAction.Permissions" && p.NewValue == "Mail.Read");
            Assert.Equal(["app-1"], admin.Targets);
        }
    }
    [Fact]
    public void Normalize_MemberOrderChangesFromRecordToRecord_EveryRecordReadRight()
    {
        // One normalizer learns the member order as it goes; members missing, added, or moved must not
        // make it attribute a value to the wrong field.
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        string full = Records.MailItemsAccessed();
        string noSession = full.Replace("\"SessionId\":\"f00dcafe-0000-4000-8000-000000000001\",", string.Empty, StringComparison.Ordinal);
        string noAppId = full.Replace("\"AppId\":\"9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f\",", string.Empty, StringComparison.Ordinal);
        string extra = full.Replace("\"Workload\":", "\"Extra1\":1,\"Extra2\":\"x\",\"Workload\":", StringComparison.Ordinal);
        string moved = "{\"UserId\":\"carol@contoso.onmicrosoft.com\"," + full[1..].Replace("\"UserId\":\"bob@contoso.onmicrosoft.com\",", string.Empty, StringComparison.Ordinal);
        foreach (string json in new[] { full, noSession, full, noAppId, extra, full, moved, noSession, extra, full })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            MailAccessEvent e = Assert.IsType<MailAccessEvent>(normalizer.Normalize(bytes, 0, bytes.Length, Container.JsonLines, "test", 1, 0).Event);
            Assert.Equal("Exchange", e.Workload);
            Assert.Equal(json == moved ? "carol@contoso.onmicrosoft.com" : "bob@contoso.onmicrosoft.com", e.UserId);
            Assert.Equal("f00dcafe-0000-4000-8000-000000000001", e.AadSessionId);
            Assert.Equal(json == noSession ? null : "f00dcafe-0000-4000-8000-000000000001", e.SessionId);
            Assert.Equal(json == noAppId ? null : "9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f", e.AppId);
            Assert.Equal("51.89.156.153", e.ClientIp?.ToString());
            Assert.Equal(["<m1@contoso.com>", "<m2@contoso.com>"], Assert.Single(e.Folders).InternetMessageIds);
        }
    }

    [Fact]
    public void Normalize_EscapedMessageIdsAndPath_Unescaped()
    {
        string json = Records.MailItemsAccessed()
            .Replace("\"<m1@contoso.com>\"", "\"\\u003cm1@contoso.com\\u003e\"", StringComparison.Ordinal)
            .Replace("\"\\\\Inbox\"", "\"\\\\Inbox\\/Sub\\u00e9\"", StringComparison.Ordinal);
        MailAccessEvent e = Read<MailAccessEvent>(json);

        AccessedFolder folder = Assert.Single(e.Folders);
        Assert.Equal("\\Inbox/Subé", folder.Path);
        Assert.Equal(["<m1@contoso.com>", "<m2@contoso.com>"], folder.InternetMessageIds);
    }
    [Fact]
    public void Normalize_FolderPathsOnOneWorker_EachUnescapedByItsOwnText()
    {
        // A worker keeps escaped paths by their raw text: a repeat must come back the same, and texts that
        // differ only in escaping must not be taken for one another.
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        (string Raw, string Path)[] cases =
        [
            ("\\\\Inbox", "\\Inbox"),
            ("Inbox", "Inbox"),
            ("\\\\\\\\Inbox", "\\\\Inbox"),
            ("\\u005cInbox", "\\Inbox"),
            ("\\\\Inbox", "\\Inbox"),
            ("\\\\\\\\Inbox", "\\\\Inbox"),
            ("\\\\Inbox\\/Legal", "\\Inbox/Legal"),
        ];
        foreach ((string raw, string path) in cases)
        {
            byte[] json = Encoding.UTF8.GetBytes(Records.MailItemsAccessed().Replace("\"\\\\Inbox\"", $"\"{raw}\"", StringComparison.Ordinal));
            NormalizeResult result = normalizer.Normalize(json, 0, json.Length, Container.JsonLines, "t.jsonl", 1, 0);
            var e = Assert.IsType<MailAccessEvent>(result.Event);
            Assert.Equal(path, Assert.Single(e.Folders).Path);
        }
    }

    [Fact]
    public void Normalize_IdentifiersInAnyForm_ComeBackExactlyAsLogged()
    {
        string json = Records.MailItemsAccessed(id: "1B8A5C9E-0000-4000-8000-000000000001")
            .Replace("\"SessionId\":\"f00dcafe-0000-4000-8000-000000000001\"", "\"SessionId\":\"{f00dcafe-0000-4000-8000-000000000001}\"", StringComparison.Ordinal)
            .Replace("\"CorrelationId\":\"c0ffee00-0000-4000-8000-000000000001\"", "\"CorrelationId\":12345", StringComparison.Ordinal);
        MailAccessEvent e = Read<MailAccessEvent>(json);

        Assert.Equal("1B8A5C9E-0000-4000-8000-000000000001", e.RecordId);
        Assert.Equal("{f00dcafe-0000-4000-8000-000000000001}", e.SessionId);
        Assert.Equal("f00dcafe-0000-4000-8000-000000000001", e.AadSessionId);
        Assert.Equal("12345", e.CorrelationId);
        Assert.Same(e.SessionId, e.SessionId);
    }
}
