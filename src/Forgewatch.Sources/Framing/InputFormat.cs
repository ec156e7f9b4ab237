namespace Forgewatch.Sources.Framing;

/// <summary>The container formats told apart by content.</summary>
internal enum InputFormat
{
    Empty,
    /// <summary>One JSON value per line.</summary>
    JsonLines,
    /// <summary>JSON arrays, objects or wrappers (<c>value</c>, <c>records</c>), possibly several in a row.</summary>
    JsonDocument,
    /// <summary>CSV with the record JSON in an <c>AuditData</c> column (Purview, Search-UnifiedAuditLog).</summary>
    UalCsv,
    /// <summary>CSV whose columns are Sentinel <c>OfficeActivity</c> fields.</summary>
    SentinelCsv,
    Unknown,
}
