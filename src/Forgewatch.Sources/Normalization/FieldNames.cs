using System.Runtime.InteropServices;
using System.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Maps a JSON member name (UTF-8, ASCII case-insensitive) to a <see cref="Field"/>. Hand-written rather
/// than a dictionary because the lookup runs for every member of every record: it hashes the raw bytes
/// once and compares one candidate, with no string allocated.
/// </summary>
internal static class FieldNames
{
    private const int TableBits = 8;
    private const int TableMask = (1 << TableBits) - 1;

    private static readonly (string Name, Field Field)[] Names =
    [
        ("Id", Field.Id),
        ("CreationTime", Field.CreationTime),
        ("Operation", Field.Operation),
        ("OrganizationId", Field.OrganizationId),
        ("RecordType", Field.RecordType),
        ("UserId", Field.UserId),
        ("Workload", Field.Workload),
        ("ResultStatus", Field.ResultStatus),
        ("AppId", Field.AppId),
        ("ClientAppId", Field.ClientAppId),
        ("ApplicationId", Field.ApplicationId),
        ("ClientIPAddress", Field.ClientIPAddress),
        ("ClientIP", Field.ClientIP),
        ("ActorIpAddress", Field.ActorIpAddress),
        ("ClientInfoString", Field.ClientInfoString),
        ("UserAgent", Field.UserAgent),
        ("SessionId", Field.SessionId),
        ("MailboxOwnerUPN", Field.MailboxOwnerUPN),
        ("MailboxGuid", Field.MailboxGuid),
        ("LogonType", Field.LogonType),
        ("Logon_Type", Field.LogonType),
        ("ExternalAccess", Field.ExternalAccess),
        ("OperationCount", Field.OperationCount),
        ("OperationProperties", Field.OperationProperties),
        ("Folders", Field.Folders),
        ("AppAccessContext", Field.AppAccessContext),
        ("ObjectId", Field.ObjectId),
        ("Parameters", Field.Parameters),
        ("ModifiedProperties", Field.ModifiedProperties),
        ("ExtendedProperties", Field.ExtendedProperties),
        ("Target", Field.Target),
        ("TokenTenantId", Field.TokenTenantId),
        ("ErrorNumber", Field.ErrorNumber),
        ("TimeGenerated", Field.TimeGenerated),
        ("OfficeId", Field.OfficeId),
        ("OfficeTenantId", Field.OfficeTenantId),
        ("OfficeWorkload", Field.OfficeWorkload),
        ("Client_IPAddress", Field.ClientUnderscoreIPAddress),
        ("SourceRecordId", Field.SourceRecordId),
        ("createdDateTime", Field.CreatedDateTime),
        ("userPrincipalName", Field.UserPrincipalName),
        ("appDisplayName", Field.AppDisplayName),
        ("ipAddress", Field.IpAddress),
        ("clientAppUsed", Field.ClientAppUsed),
        ("correlationId", Field.CorrelationId),
        ("status", Field.Status),
        ("location", Field.Location),
        ("deviceDetail", Field.DeviceDetail),
        ("isInteractive", Field.IsInteractive),
        ("riskLevelDuringSignIn", Field.RiskLevelDuringSignIn),
        ("resourceId", Field.ResourceId),
        ("resourceDisplayName", Field.ResourceDisplayName),
        ("uniqueTokenIdentifier", Field.UniqueTokenIdentifier),
        ("signInEventTypes", Field.SignInEventTypes),
        ("tenantId", Field.TenantId),
        ("resourceTenantId", Field.ResourceTenantId),
        ("homeTenantId", Field.HomeTenantId),
        ("time", Field.Time),
        ("category", Field.Category),
        ("properties", Field.Properties),
        ("callerIpAddress", Field.CallerIpAddress),
        ("resultType", Field.ResultType),
        ("operationName", Field.OperationName),
    ];

    private static readonly (byte[] Name, Field Field)[] Table = Build();

    /// <summary>Finds the field for an unescaped UTF-8 member name, or <see cref="Field.None"/>.</summary>
    public static Field Lookup(ReadOnlySpan<byte> name)
    {
        uint slot = Hash(name) & TableMask;
        while (true)
        {
            (byte[] candidate, Field field) = Table[slot];
            if (candidate is null)
            {
                return Field.None;
            }

            if (candidate.Length == name.Length && (name.SequenceEqual(candidate) || Ascii.EqualsIgnoreCase(candidate, name)))
            {
                return field;
            }

            slot = (slot + 1) & TableMask;
        }
    }

    private static uint Hash(ReadOnlySpan<byte> name)
    {
        // Eight bytes at a time, each byte OR 0x20: that lower-cases ASCII letters, so names equal but for
        // letter case hash alike (other bytes change too, but alike on both sides).
        const ulong Lower = 0x2020202020202020UL;
        ulong h = (ulong)name.Length * 0x9E3779B97F4A7C15UL;
        while (name.Length >= 8)
        {
            h = (h ^ (MemoryMarshal.Read<ulong>(name) | Lower)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
            name = name[8..];
        }

        foreach (byte b in name)
        {
            h = (h ^ (byte)(b | 0x20)) * 0xC4CEB9FE1A85EC53UL;
        }

        return (uint)(h >> 32) ^ (uint)h;
    }

    private static (byte[] Name, Field Field)[] Build()
    {
        var table = new (byte[] Name, Field Field)[1 << TableBits];
        foreach ((string name, Field field) in Names)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(name);
            uint slot = Hash(bytes) & TableMask;
            while (table[slot].Name is not null)
            {
                slot = (slot + 1) & TableMask;
            }

            table[slot] = (bytes, field);
        }

        return table;
    }
}
