using System.Globalization;
using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Tests.Conformance;

// Conformance against a peer. The fixtures are Elastic's ingest-pipeline tests for its o365 audit and azure
// signinlogs integrations (https://github.com/elastic/integrations, packages/o365 and packages/azure),
// licensed under the Elastic License 2.0 (see LICENSE.txt in ../shared/testdata/external/elastic). They are
// read where they sit, never copied into this repository. Each input holds raw vendor records and each
// *-expected.json the ECS documents Elastic makes of them; where a document holds a fact our event also holds
// (user, client address, operation, app ids, time, result...), the two must agree. Elastic's conventions that
// differ from ours are stated where they are handled, and every comparison left out has its reason below.

/// <summary>
/// Every input record of Elastic's o365 audit and Entra sign-in pipeline tests is read by the normalizer, or
/// rejected for a reason listed here; and record by record, our event agrees with Elastic's expected document
/// wherever both hold the same fact. Records are matched to documents by record id (the document at the same
/// position first, because some fixtures repeat one id with different content).
/// </summary>
public sealed class ElasticConformanceTests
{
    private const string Success = "success";
    private const string Failure = "failure";

    private const string MalformedOriginal =
        "event.original is deliberately malformed JSON in Elastic's fixture (see its README); the test checks on its own that it does not "
        + "parse, and the event's o365audit object, which holds the same record, is read and compared instead";

    /// <summary>Each o365 input and the expected file its records are compared with.</summary>
    private static readonly Dictionary<string, string> O365ExpectedFiles = new(StringComparer.Ordinal)
    {
        ["test-bad-ips.json"] = "test-bad-ips.json-expected.json",
        ["test-data-duplicated-querytime-events.json"] = "test-data-duplicated-querytime-events.json-expected.json",
        ["test-exchange-access-event.json"] = "test-exchange-access-event.json-expected.json",
        ["test-exchange-item-edge-cases.json"] = "test-exchange-item-edge-cases.json-expected.json",
        ["test-exchange-item-events.json"] = "test-exchange-item-events.json-expected.json",
        ["test-modified-properites.json"] = "test-modified-properites.json-expected.json",
        ["test-numbery-json-events.json"] = "test-numbery-json-events.json-expected.json",
        ["test-parameter-string.json"] = "test-parameter-string.json-expected.json",
        ["test-stringly-json-events.json"] = "test-stringly-json-events.json-expected.json",

        // Its own expected file was not vendored. Its nine lines are the nine records of
        // test-exchange-item-events.json (same Id, same content), so they are compared with that file's documents.
        ["test-exchange-item.log"] = "test-exchange-item-events.json-expected.json",
    };

    private static readonly string[] SignInFiles = ["test-adfs-signin.log", "test-created-datetime-timestamp.log", "test-invalid-time.log"];

    /// <summary>Records the normalizer rejects on purpose: (file, event index, form) to reason code and why.</summary>
    private static readonly Dictionary<(string File, int Index, string Form), (string Code, string Reason)> JustifiedRejections = new()
    {
        [("test-bad-ips.json", 3, "o365audit")] = (
            RejectionCodes.MissingOperation,
            "Elastic's record tests server-address parsing only: CreationTime, RecordType and OriginatingServer, no Operation and no Id. "
            + "Every event needs an operation, so Forgewatch rejects it (Elastic keeps it with no event.action)"),
        [("test-data-duplicated-querytime-events.json", 0, "original")] = (RejectionCodes.InvalidJson, MalformedOriginal),
        [("test-parameter-string.json", 0, "original")] = (RejectionCodes.InvalidJson, MalformedOriginal),
        [("test-parameter-string.json", 1, "original")] = (RejectionCodes.InvalidJson, MalformedOriginal),
    };

    /// <summary>Input events that have no expected document, and why.</summary>
    private static readonly Dictionary<(string File, int Index), string> InputsWithoutExpected = new()
    {
        [("test-numbery-json-events.json", 5)] = "the expected file predates the input (README: 5 documents for 7 events); events 5 and 6 (Id 7 and 8) were added later",
        [("test-numbery-json-events.json", 6)] = "the expected file predates the input (README: 5 documents for 7 events); events 5 and 6 (Id 7 and 8) were added later",
    };

    /// <summary>Expected documents no read record is compared with, and why.</summary>
    private static readonly Dictionary<(string File, int Document), string> ExpectedWithoutInput = new()
    {
        [("test-bad-ips.json-expected.json", 3)] = "its input, event 3, has no Operation and is rejected (see the justified rejections)",
        [("test-data-duplicated-querytime-events.json-expected.json", 1)] =
            "the expected file predates the input (README: 2 documents for 1 event); document 0 is compared with the one event",
    };

    /// <summary>Facts left out for a whole input file, and why.</summary>
    private static readonly Dictionary<(string File, string Field), string> FieldExclusions = new()
    {
        [("test-adfs-signin.log", "tenant")] =
            "input and expected come from different versions of the record (README): the input's tenant id is 043q12e-..., the expected "
            + "document's 050e16e5-... (its event.original shows that tenant); the other compared facts are the same in both versions",
    };

    /// <summary>
    /// Elastic renames a few operations to ECS action names (o365 ingest pipeline, keyed by event.code); the
    /// record's operation is still the same fact.
    /// </summary>
    private static readonly Dictionary<(string Code, string Operation), string> ElasticActionNames = new()
    {
        [("AzureActiveDirectory", "Add user.")] = "added-user-account",
        [("AzureActiveDirectory", "Update user.")] = "modified-user-account",
        [("AzureActiveDirectory", "Delete user.")] = "deleted-user-account",
        [("MicrosoftTeams", "TeamCreated")] = "added-group-account-to",
        [("MicrosoftTeams", "MemberAdded")] = "added-users-to-group",
        [("MicrosoftTeams", "Delete user.")] = "deleted-user-account",
    };

    /// <summary>Azure Monitor diagnostic categories and the sign-in stream each one is.</summary>
    private static readonly Dictionary<string, LogKind> SignInCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SignInLogs"] = LogKind.EntraInteractiveSignIn,
        ["NonInteractiveUserSignInLogs"] = LogKind.EntraNonInteractiveSignIn,
        ["ServicePrincipalSignInLogs"] = LogKind.EntraServicePrincipalSignIn,
        ["ManagedIdentitySignInLogs"] = LogKind.EntraManagedIdentitySignIn,
        ["ADFSSignInLogs"] = LogKind.EntraAdfsSignIn,
    };

    public static TheoryData<string> O365Inputs => new(O365ExpectedFiles.Keys);

    public static TheoryData<string> SignInInputs => new(SignInFiles);

    [Fact]
    public void Fixtures_ElasticFolders_EveryInputFileIsCovered()
    {
        // google_workspace (Gmail, Google logins) is beside them, but is neither the UAL nor Entra: not read here.
        string[] o365 = [.. Directory.GetFiles(ElasticFixtures.O365Folder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => !f.EndsWith("-expected.json", StringComparison.Ordinal) && !f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        string[] signIns = [.. Directory.GetFiles(ElasticFixtures.SignInFolder, "*.log").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

        Assert.Equal(o365, O365ExpectedFiles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(signIns, SignInFiles.Order(StringComparer.Ordinal));
        Assert.All(O365ExpectedFiles.Values, f => Assert.True(File.Exists(Path.Combine(ElasticFixtures.O365Folder, f)), f));
        Assert.All(SignInFiles, f => Assert.True(File.Exists(Path.Combine(ElasticFixtures.SignInFolder, f + "-expected.json")), f));
    }

    [Theory]
    [MemberData(nameof(O365Inputs))]
    public void Normalize_ElasticO365Input_EveryRecordReadOrRejectionJustified(string file)
    {
        FileRun run = Read(ElasticFixtures.O365Folder, file);

        Report(run.ReadLog, $"{file}: {run.Events.Count} records read, {run.Rejected} rejected with a justification");
        run.ReadLog.AssertNone($"reading {file}");
        Assert.NotEmpty(run.Events);
    }

    [Theory]
    [MemberData(nameof(SignInInputs))]
    public void Normalize_ElasticSignInLog_EveryLineReadOrRejectionJustified(string file)
    {
        FileRun run = Read(ElasticFixtures.SignInFolder, file);

        Report(run.ReadLog, $"{file}: {run.Events.Count} records read, {run.Rejected} rejected with a justification");
        run.ReadLog.AssertNone($"reading {file}");
        Assert.NotEmpty(run.Events);
    }

    [Theory]
    [MemberData(nameof(O365Inputs))]
    public void Normalize_ElasticO365Input_AgreesWithElasticExpectedRecordByRecord(string file)
    {
        string expectedFile = O365ExpectedFiles[file];
        FileRun run = Read(ElasticFixtures.O365Folder, file);
        List<JsonElement> expected = ElasticFixtures.ReadExpected(Path.Combine(ElasticFixtures.O365Folder, expectedFile));

        ComparisonLog log = CompareAll(run, expectedFile, expected, input => input.Text("Id"), CompareUal);

        Report(log, $"{file}: {run.Events.Count} records compared with {expectedFile} ({expected.Count} documents)");
        log.AssertNone($"comparing {file} with {expectedFile}");
    }

    [Theory]
    [MemberData(nameof(SignInInputs))]
    public void Normalize_ElasticSignInLog_AgreesWithElasticExpectedRecordByRecord(string file)
    {
        string expectedFile = file + "-expected.json";
        FileRun run = Read(ElasticFixtures.SignInFolder, file);
        List<JsonElement> expected = ElasticFixtures.ReadExpected(Path.Combine(ElasticFixtures.SignInFolder, expectedFile));

        ComparisonLog log = CompareAll(run, expectedFile, expected, SignInId, CompareSignIn);

        Report(log, $"{file}: {run.Events.Count} records compared with {expectedFile} ({expected.Count} documents)");
        log.AssertNone($"comparing {file} with {expectedFile}");
    }

    /// <summary>Feeds every record of one input file to a fresh normalizer and checks each rejection against
    /// its justification (and, for invalid JSON, against a parse that does not use the normalizer).</summary>
    private static FileRun Read(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        var normalizer = new RecordNormalizer(new Utf8StringPool());
        var run = new FileRun(file);
        var used = new HashSet<(string, int, string)>();
        foreach (ElasticInput input in ElasticFixtures.ReadInputs(path))
        {
            string record = input.Describe(file);
            Container container = input.Form == "line" ? Container.JsonLines : Container.JsonObject;
            long line = input.Form == "line" ? input.Index + 1 : 0;
            NormalizeResult result = normalizer.Normalize(input.Json, 0, input.Json.Length, container, path, line, 0);
            JsonElement? parsed = ElasticFixtures.ParseIndependently(input.Json);
            bool justified = JustifiedRejections.TryGetValue((file, input.Index, input.Form), out (string Code, string Reason) why);
            if (justified)
            {
                used.Add((file, input.Index, input.Form));
            }

            if (result.Event is { } ours)
            {
                if (parsed is not { } json)
                {
                    run.ReadLog.Problem(record, "malformed JSON was read as an event");
                    continue;
                }

                if (justified)
                {
                    run.ReadLog.Problem(record, $"read, but listed as a justified rejection ({why.Code}); remove that entry");
                }

                run.Events.Add(new ReadRecord(input, ours, json));
                continue;
            }

            if (!justified)
            {
                run.ReadLog.Problem(record, $"rejected without a justification: {result.ReasonCode}: {result.Reason}");
            }
            else if (why.Code != result.ReasonCode)
            {
                run.ReadLog.Problem(record, $"rejected as {result.ReasonCode} ({result.Reason}), but justified as {why.Code}");
            }
            else if (why.Code == RejectionCodes.InvalidJson && parsed is not null)
            {
                run.ReadLog.Problem(record, $"rejected as invalid_json ({result.Reason}), but the JSON is well-formed");
            }
            else
            {
                run.Rejected++;
                run.ReadLog.Skip(record, "whole record", $"rejected as {result.ReasonCode} ({result.Reason}): {why.Reason}");
            }
        }

        foreach ((string File, int Index, string Form) key in JustifiedRejections.Keys.Where(k => k.File == file && !used.Contains(k)))
        {
            run.ReadLog.Problem($"{file} event #{key.Index} ({key.Form})", "listed as a justified rejection, but no such record was fed; remove that entry");
        }

        return run;
    }

    /// <summary>Matches every read record with its expected document and compares them; every record and every
    /// document left without a partner must be listed, with its reason, above.</summary>
    private static ComparisonLog CompareAll(
        FileRun run,
        string expectedFile,
        List<JsonElement> expected,
        Func<JsonElement, string?> inputId,
        Action<ComparisonLog, string, AuditEvent, JsonElement, JsonElement> compare)
    {
        var log = new ComparisonLog();
        foreach (((string File, string Field) key, string reason) in FieldExclusions.Where(e => e.Key.File == run.File))
        {
            log.Exclude(key.Field, reason);
        }

        var matched = new HashSet<int>();
        foreach (ReadRecord read in run.Events)
        {
            string record = read.Input.Describe(run.File);
            string? id = inputId(read.Parsed);
            int document = Match(expected, read.Input.Index, id);
            bool justified = InputsWithoutExpected.TryGetValue((run.File, read.Input.Index), out string? reason);
            if (document < 0)
            {
                if (justified)
                {
                    log.Skip(record, "every field", $"no expected document with event.id '{id}': {reason}");
                }
                else
                {
                    log.Problem(record, $"no expected document with event.id '{id}' in {expectedFile}");
                }

                continue;
            }

            if (justified)
            {
                log.Problem(record, $"listed as having no expected document, but document #{document} has its id; remove that entry");
            }

            matched.Add(document);
            compare(log, $"{record} Id '{id}' vs expected #{document}", read.Event, expected[document], read.Parsed);
        }

        for (int d = 0; d < expected.Count; d++)
        {
            bool justified = ExpectedWithoutInput.TryGetValue((expectedFile, d), out string? reason);
            if (!matched.Contains(d))
            {
                if (justified)
                {
                    log.Skip($"{expectedFile} #{d}", "every field", $"compared with no record: {reason}");
                }
                else
                {
                    log.Problem($"{expectedFile} #{d}", $"event.id '{expected[d].Text("event.id")}' was compared with no record");
                }
            }
            else if (justified)
            {
                log.Problem($"{expectedFile} #{d}", "listed as compared with no record, but a record matched it; remove that entry");
            }
        }

        log.CheckExclusionsUsed(run.File);
        return log;
    }

    /// <summary>The document at the record's position when it has the record's id, else the first with that id.</summary>
    private static int Match(List<JsonElement> expected, int index, string? id)
    {
        if (index < expected.Count && expected[index].Text("event.id") == id)
        {
            return index;
        }

        return id is null ? -1 : expected.FindIndex(d => d.Text("event.id") == id);
    }

    private static string? SignInId(JsonElement input) =>
        input.At("properties") is { ValueKind: JsonValueKind.Object } properties ? properties.Text("id") : input.Text("id");

    private static void CompareUal(ComparisonLog log, string record, AuditEvent ours, JsonElement theirs, JsonElement input)
    {
        log.Equal(record, "record id", ours.RecordId, theirs.Text("event.id"));

        // Elastic's @timestamp is CreationTime, kept to the millisecond.
        log.Equal(record, "time", Millis(ours.Time), Millis(theirs.Text("@timestamp")));

        string? code = theirs.Text("event.code");
        string operation = code is not null && ElasticActionNames.TryGetValue((code, ours.Operation), out string? renamed) ? renamed : ours.Operation;
        log.Equal(record, "operation", operation, theirs.Text("event.action"));

        string? user = theirs.Text("user.id");
        if (input.Text("UserId") is null && user is not null)
        {
            // Elastic fills user.id from LogonUserSid, ActorYammerUserId or AlertEntityId when there is no UserId;
            // Forgewatch's UserId is the record's UserId only.
            log.Skip(record, "user", $"the record has no UserId; Elastic's user.id '{user}' comes from another field");
        }
        else
        {
            log.Equal(record, "user", ours.UserId, user);
        }

        CompareUalClientAddress(log, record, ours, theirs);

        // Elastic lower-cases organization.id.
        log.Equal(record, "tenant", ours.TenantId, theirs.Text("organization.id"), StringComparison.OrdinalIgnoreCase);
        log.Equal(record, "workload", ours.Workload, theirs.Text("event.provider"));
        log.Equal(record, "record type", ours.RecordType, theirs.Text("o365.audit.RecordType"));

        // Elastic keeps the application ids in o365.audit as logged; newer versions also map AppAccessContext.
        log.Equal(record, "app id", ours.AppId, theirs.Text("o365.audit.AppId") ?? theirs.Text("o365.audit.ApplicationId"));
        log.Equal(record, "client app id", ours.ClientAppId, theirs.Text("o365.audit.ClientAppId") ?? theirs.Text("o365.audit.AppAccessContext.ClientAppId"));
        log.Equal(record, "session id", ours.SessionId, theirs.Text("o365.audit.SessionId"));
        log.Equal(record, "aad session id", ours.AadSessionId, theirs.Text("session.id") ?? theirs.Text("o365.audit.AppAccessContext.AADSessionId"));
        log.Equal(record, "unique token id", ours.UniqueTokenId, theirs.Text("token.id") ?? theirs.Text("o365.audit.AppAccessContext.UniqueTokenId"));
        log.Equal(record, "correlation id", ours.CorrelationId, theirs.Text("o365.audit.AppAccessContext.CorrelationId"));

        // Ours is ClientInfoString, else UserAgent; Elastic keeps the first in o365.audit and maps the second.
        log.Equal(record, "user agent", ours.UserAgent, theirs.Text("o365.audit.ClientInfoString") ?? theirs.Text("user_agent.original"));
        log.Equal(record, "result status", ours.ResultStatus, theirs.Text("o365.audit.ResultStatus"));
        CompareUalOutcome(log, record, ours, theirs);

        if (ours is MailAccessEvent mail)
        {
            CompareMailAccess(log, record, mail, theirs);
        }
    }

    private static void CompareUalClientAddress(ComparisonLog log, string record, AuditEvent ours, JsonElement theirs)
    {
        string? ip = theirs.Text("client.ip");
        string? address = theirs.Text("client.address");
        if (ip is not null || address is null)
        {
            log.SameAddress(record, "client ip", ours.ClientIp, ip);
            return;
        }

        // Elastic takes the first present of ClientIPAddress, ClientIP and ActorIpAddress and stops there: when that
        // text holds no address it keeps it as client.address and sets no client.ip. Forgewatch goes on to the next
        // field that holds an address. The same fact is then checked as far as both state it: ours is not Elastic's
        // non-address, and if ours is set it is the address in one of the later fields (still in o365.audit).
        string?[] later = [theirs.Text("o365.audit.ClientIP"), theirs.Text("o365.audit.ActorIpAddress")];
        string? ourText = ours.ClientIp?.ToString();
        bool agree = ourText is null
            || (ourText != address && later.Any(t => t is not null && t.Contains(ourText, StringComparison.OrdinalIgnoreCase)));
        log.Check(record, "client ip (Elastic: no address)", agree, ourText, $"client.address {address}, later fields {string.Join(" / ", later.OfType<string>())}");
        log.Skip(
            record,
            "client ip",
            $"Elastic's first address field holds '{address}', not an address, and it stops there; Forgewatch took the next field "
            + $"that holds one ({ourText ?? "none"}), checked above as 'client ip (Elastic: no address)'");
    }

    private static void CompareUalOutcome(ComparisonLog log, string record, AuditEvent ours, JsonElement theirs)
    {
        // Elastic's values for success and failure (o365 ingest pipeline); anything else, or no ResultStatus, it
        // writes as "success" by default, which is then no fact of the record.
        string? stated = ours.ResultStatus?.ToUpperInvariant() switch
        {
            "SUCCEEDED" or "SUCCESS" or "PARTIALLYSUCCEEDED" or "TRUE" => Success,
            "FAILED" or "FALSE" => Failure,
            _ => null,
        };
        if (stated is null)
        {
            log.Skip(record, "outcome", $"ResultStatus {ours.ResultStatus ?? "(none)"} states neither success nor failure; Elastic's 'success' is its default");
        }
        else
        {
            log.Equal(record, "outcome", stated, theirs.Text("event.outcome"));
        }

        if (ours is SignInEvent signIn)
        {
            log.Equal(record, "sign-in succeeded", signIn.Succeeded ? Success : Failure, theirs.Text("event.outcome"));
        }
    }

    private static void CompareMailAccess(ComparisonLog log, string record, MailAccessEvent ours, JsonElement theirs)
    {
        log.Equal(record, "mailbox owner", ours.MailboxOwner, theirs.Text("o365.audit.MailboxOwnerUPN"));
        log.Equal(record, "mailbox guid", ours.MailboxGuid, theirs.Text("o365.audit.MailboxGuid"));
        log.Equal(record, "logon type", ours.LogonType, theirs.Text("o365.audit.LogonType"));
        log.Equal(record, "external access", ours.ExternalAccess, theirs.Text("o365.audit.ExternalAccess"));
        log.Equal(record, "operation count", ours.OperationCount, theirs.Text("o365.audit.OperationCount"));
        log.Equal(record, "token tenant id", ours.TokenTenantId, theirs.Text("o365.audit.TokenTenantId"));
        log.Equal(
            record,
            "token issued at",
            ours.TokenIssuedAt is { } issued ? Millis(issued) : null,
            Millis(theirs.Text("o365.audit.AppAccessContext.IssuedAtTime")));
        log.Equal(
            record,
            "mail access type",
            ours.AccessType == MailAccessType.Unknown ? null : ours.AccessType.ToString(),
            NamedValue(theirs.At("o365.audit.OperationProperties"), "MailAccessType"));

        // Newer versions of Elastic's pipeline rename Folders to ExchangeAggregatedFolders.
        log.Equal(record, "folders", Folders(ours.Folders), Folders(theirs.At("o365.audit.ExchangeAggregatedFolders") ?? theirs.At("o365.audit.Folders")));
    }

    private static void CompareSignIn(ComparisonLog log, string record, AuditEvent ours, JsonElement theirs, JsonElement input)
    {
        if (ours is not SignInEvent signIn)
        {
            log.Problem(record, $"read as {ours.Kind}, not as a sign-in");
            return;
        }

        // A record without an id gets a content hash (sha256:...), which is no vendor id.
        log.Equal(record, "record id", ours.RecordId.StartsWith("sha256:", StringComparison.Ordinal) ? null : ours.RecordId, theirs.Text("event.id"));
        CompareSignInTime(log, record, ours, theirs, input);
        log.Equal(record, "operation", ours.Operation, theirs.Text("event.action"));

        // Our UserId is the UPN (as in the UAL); Elastic's user.id is the directory object id, our UserObjectId.
        log.Equal(record, "user", ours.UserId, theirs.Text("azure.signinlogs.properties.user_principal_name"));
        log.Equal(record, "user object id", signIn.UserObjectId, theirs.Text("user.id"));
        log.Equal(record, "app id", ours.AppId, theirs.Text("azure.signinlogs.properties.app_id"));
        log.Equal(record, "app display name", signIn.AppDisplayName, theirs.Text("azure.signinlogs.properties.app_display_name"));

        // Ours is properties.ipAddress, else callerIpAddress; Elastic's client.ip is callerIpAddress. Both are
        // the client's address, and the same in every fixture; a difference would be reported.
        log.SameAddress(record, "client ip", ours.ClientIp, theirs.Text("client.ip"));
        log.Equal(record, "tenant", ours.TenantId, theirs.Text("azure.tenant_id"), StringComparison.OrdinalIgnoreCase);
        log.Equal(record, "correlation id", ours.CorrelationId, theirs.Text("azure.signinlogs.properties.correlation_id") ?? theirs.Text("azure.correlation_id"));
        log.Equal(record, "unique token id", ours.UniqueTokenId, theirs.Text("azure.signinlogs.properties.unique_token_identifier"));
        log.Equal(record, "session id", ours.SessionId, theirs.Text("azure.signinlogs.properties.session_id"));
        log.Equal(record, "user agent", ours.UserAgent, theirs.Text("azure.signinlogs.properties.user_agent") ?? theirs.Text("user_agent.original"));
        log.Equal(record, "error code", signIn.ErrorCode, theirs.Text("azure.signinlogs.properties.status.error_code") ?? theirs.Text("azure.signinlogs.result_type"));
        log.Equal(record, "outcome", signIn.Succeeded ? Success : Failure, theirs.Text("event.outcome"));
        log.Equal(record, "is interactive", signIn.IsInteractive, theirs.Text("azure.signinlogs.properties.is_interactive"));
        string? category = theirs.Text("azure.signinlogs.category");
        log.Equal(record, "log", ours.Log.Name(), category is not null && SignInCategories.TryGetValue(category, out LogKind kind) ? kind.Name() : category);
    }

    private static void CompareSignInTime(ComparisonLog log, string record, AuditEvent ours, JsonElement theirs, JsonElement input)
    {
        // Our Time is the sign-in's createdDateTime. Elastic keeps that in properties.created_at, while its
        // @timestamp is the diagnostic record's `time` in some versions (test-adfs-signin: 15:03:58 against a
        // sign-in at 14:56:31) and createdDateTime in others: compare with created_at wherever Elastic has it.
        if (theirs.Text("azure.signinlogs.properties.created_at") is { } createdAt)
        {
            log.Equal(record, "time", Exact(ours.Time), Exact(createdAt));
            return;
        }

        // Without created_at, @timestamp (to the millisecond) holds the same fact as ours when the record has only
        // one of the two times: without createdDateTime both sides take `time`; without `time` Elastic can only
        // have taken createdDateTime.
        JsonElement signIn = input.At("properties") is { ValueKind: JsonValueKind.Object } p ? p : input;
        bool hasCreated = signIn.Text("createdDateTime") is not null;
        bool hasTime = input.At("properties") is { ValueKind: JsonValueKind.Object } && input.Text("time") is not null;
        if (hasCreated && hasTime)
        {
            log.Skip(record, "time", "Elastic kept no created_at, and its @timestamp may be either of the record's two times");
            return;
        }

        log.Equal(record, "time", Millis(ours.Time), Millis(theirs.Text("@timestamp")));
    }

    private static string Exact(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Millis(DateTime utc) =>
        utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Elastic's time text as UTC; a value without a zone is UTC (as UAL times are written).</summary>
    private static string? Exact(string? text) => ParseTime(text) is { } t ? Exact(t) : text;

    private static string? Millis(string? text) => ParseTime(text) is { } t ? Millis(t) : text;

    private static DateTime? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t) ? t.UtcDateTime : null;

    /// <summary>The value of the first <c>{"Name":..,"Value":..}</c> pair named <paramref name="name"/>.</summary>
    private static string? NamedValue(JsonElement? pairs, string name) =>
        pairs is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(p => p.Text("Name") == name).Select(p => p.Text("Value")).FirstOrDefault()
            : null;

    private static string? Folders(IReadOnlyList<AccessedFolder> folders) =>
        folders.Count == 0 ? null : string.Join(" | ", folders.Select(f => f.Path + ": " + string.Join(", ", f.InternetMessageIds)));

    private static string? Folders(JsonElement? folders)
    {
        if (folders is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            return null;
        }

        return string.Join(" | ", array.EnumerateArray().Select(f =>
        {
            IEnumerable<string> ids = f.At("FolderItems") is { ValueKind: JsonValueKind.Array } items
                ? items.EnumerateArray().Select(i => i.Text("InternetMessageId")).OfType<string>()
                : [];
            return f.Text("Path") + ": " + string.Join(", ", ids);
        }));
    }

    /// <summary>Writes the counts and every skipped comparison to the test's output.</summary>
    private static void Report(ComparisonLog log, string headline) =>
        TestContext.Current.TestOutputHelper?.WriteLine(headline + "\n" + log.Summary());

    /// <summary>One record the normalizer read: its input, our event, and the record parsed independently.</summary>
    private sealed record ReadRecord(ElasticInput Input, AuditEvent Event, JsonElement Parsed);

    /// <summary>What reading one input file gave.</summary>
    private sealed class FileRun(string file)
    {
        public string File { get; } = file;

        public List<ReadRecord> Events { get; } = [];

        public int Rejected { get; set; }

        public ComparisonLog ReadLog { get; } = new();
    }
}
