using System.Data.Common;
using Forgewatch.Core.Alerts;
using Forgewatch.Server.Incidents;

namespace Forgewatch.Server.Storage;

/// <summary>An incident as both stores select it: <see cref="Columns"/>, in that order.</summary>
internal static class IncidentRows
{
    public const string Columns = "id, severity, first_seen, last_seen, json, final";

    /// <summary>The incident of <paramref name="tenant"/> whose <see cref="Columns"/> start at column
    /// <paramref name="first"/> of the current row.</summary>
    public static StoredIncident Read(DbDataReader reader, string tenant, int first) =>
        new(
            tenant,
            reader.GetString(first),
            (Severity)reader.GetInt32(first + 1),
            new DateTime(reader.GetInt64(first + 2), DateTimeKind.Utc),
            new DateTime(reader.GetInt64(first + 3), DateTimeKind.Utc),
            reader.GetString(first + 4),
            reader.GetBoolean(first + 5));
}
