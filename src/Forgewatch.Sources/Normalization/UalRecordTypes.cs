using System.Collections.Frozen;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// UAL <c>RecordType</c> names as Purview and Sentinel write them, mapped to the numbers the Management
/// Activity API uses (Microsoft's "AuditLogRecordType" enumeration; only types Forgewatch reasons about
/// and their common neighbours are listed; an unknown name leaves the number empty, not wrong).
/// </summary>
internal static class UalRecordTypes
{
    private static readonly FrozenDictionary<string, int> ByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["ExchangeAdmin"] = 1,
        ["ExchangeItem"] = 2,
        ["ExchangeItemGroup"] = 3,
        ["SharePoint"] = 4,
        ["SharePointFileOperation"] = 6,
        ["AzureActiveDirectory"] = 8,
        ["AzureActiveDirectoryAccountLogon"] = 9,
        ["DataCenterSecurityCmdlet"] = 10,
        ["ComplianceDLPSharePoint"] = 11,
        ["SharePointSharingOperation"] = 14,
        ["AzureActiveDirectoryStsLogon"] = 15,
        ["SecurityComplianceCenterEOPCmdlet"] = 18,
        ["ExchangeAggregatedOperation"] = 19,
        ["PowerBIAudit"] = 20,
        ["Yammer"] = 22,
        ["MicrosoftTeams"] = 25,
        ["ThreatIntelligence"] = 28,
        ["MailSubmission"] = 29,
        ["ExchangeItemAggregated"] = 50,
        ["SecurityComplianceAlerts"] = 40,
        ["ThreatIntelligenceUrl"] = 41,
        ["SecurityComplianceInsights"] = 42,
        ["MIPLabel"] = 43,
        ["WorkplaceAnalytics"] = 44,
        ["HygieneEvent"] = 55,
        ["AirInvestigation"] = 64,
        ["SharePointSearch"] = 100,
        ["MailboxAuditLogSearch"] = 150,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static int? FromName(string? name) => name is not null && ByName.TryGetValue(name, out int value) ? value : null;
}
