namespace Forgewatch.Core.Events;

/// <summary>The export shapes Forgewatch reads. Names are stable: they appear in summaries and files
/// (see <see cref="SourceShapeNames"/>).</summary>
public enum SourceShape
{
    /// <summary>Office 365 Management Activity API content: a JSON array of UAL records.</summary>
    UalJsonArray,
    /// <summary>UAL records one per line.</summary>
    UalJsonLines,
    /// <summary>One UAL record as a whole file.</summary>
    UalJsonObject,
    /// <summary>Purview audit search or <c>Search-UnifiedAuditLog</c> CSV, record JSON in <c>AuditData</c>.</summary>
    UalCsv,
    /// <summary>Sentinel / Log Analytics <c>OfficeActivity</c> rows exported as JSON.</summary>
    SentinelOfficeActivityJson,
    /// <summary>Sentinel / Log Analytics <c>OfficeActivity</c> rows exported as CSV.</summary>
    SentinelOfficeActivityCsv,
    /// <summary>Microsoft Graph <c>/auditLogs/signIns</c> response (<c>{"value":[...]}</c>).</summary>
    SignInGraphJson,
    /// <summary>Entra sign-in objects one per line (or a bare JSON array of them).</summary>
    SignInJsonLines,
    /// <summary>Azure Monitor diagnostic-settings records (<c>{"records":[...]}</c> or one per line),
    /// sign-in fields nested under <c>properties</c>.</summary>
    SignInDiagnosticRecords,
}

/// <summary>Stable, documented names of <see cref="SourceShape"/> values.</summary>
public static class SourceShapeNames
{
    public static string Name(this SourceShape shape) => shape switch
    {
        SourceShape.UalJsonArray => "ual-json-array",
        SourceShape.UalJsonLines => "ual-jsonl",
        SourceShape.UalJsonObject => "ual-json-object",
        SourceShape.UalCsv => "ual-csv",
        SourceShape.SentinelOfficeActivityJson => "sentinel-officeactivity-json",
        SourceShape.SentinelOfficeActivityCsv => "sentinel-officeactivity-csv",
        SourceShape.SignInGraphJson => "signin-graph-json",
        SourceShape.SignInJsonLines => "signin-jsonl",
        SourceShape.SignInDiagnosticRecords => "signin-diagnostic-records",
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };
}
