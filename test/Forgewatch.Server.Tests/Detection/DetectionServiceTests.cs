using Forgewatch.Core.Events;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgewatch.Server.Tests.Detection;

public class DetectionServiceTests
{
    /// <summary>A sign-in of a user the simulated tenant never names, years before its records: late, so the
    /// stream goes back and observes everything again, and finds the same incidents.</summary>
    private const string UnrelatedSignIn =
        """{"id":"9d3c1f7e-0000-4000-8000-00000000d1e5","createdDateTime":"2019-01-02T03:04:05Z","userDisplayName":"Nobody","userPrincipalName":"nobody@unrelated.example","userId":"0000dddd-0000-4000-8000-000000000001","appId":"00000002-0000-0ff1-ce00-000000000000","appDisplayName":"Office 365 Exchange Online","ipAddress":"198.18.9.9","clientAppUsed":"Browser","correlationId":"0000eeee-0000-4000-8000-000000000001","conditionalAccessStatus":"success","isInteractive":true,"resourceDisplayName":"Office 365 Exchange Online","resourceId":"00000002-0000-0ff1-ce00-000000000000","status":{"errorCode":0},"userAgent":"Mozilla/5.0","sessionId":"0000ffff-0000-4000-8000-000000000001"}""";

    [Fact]
    public async Task Investigate_RecordsThatChangeNoIncident_SaveNothing_AndChangesAreSaved()
    {
        string data = Path.Combine(Path.GetTempPath(), "forgewatch-stream-tests", Guid.NewGuid().ToString("N"));
        using SqliteStore store = TenantDetectionTests.NewStore(data);
        using var service = new DetectionService(store, TimeProvider.System, StreamSettings.Default, TimeSpan.FromHours(1), new OutboxSignal(), NullLogger<DetectionService>.Instance);
        AuditEvent[] sample = [.. TenantDetectionTests.SampleEvents.OrderBy(e => e.Time)];

        store.StoreEvents("t", sample[..(sample.Length / 2)], TenantDetectionTests.Now);
        Assert.True(service.Investigate("t") > 0);
        Dictionary<string, long> saved = Updated(data);
        Assert.NotEmpty(saved);

        await Task.Delay(20, TestContext.Current.CancellationToken);
        store.StoreEvents("t", [await TenantDetectionTests.ReadOneAsync(UnrelatedSignIn)], TenantDetectionTests.Now);
        Assert.Equal(saved.Count, service.Investigate("t"));
        Assert.Equal(saved, Updated(data));

        store.StoreEvents("t", sample[(sample.Length / 2)..], TenantDetectionTests.Now);
        service.Investigate("t");
        Assert.NotEqual(saved, Updated(data));
    }

    /// <summary>When each of the tenant's incidents was last written, by id (the store's own column).</summary>
    private static Dictionary<string, long> Updated(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, SqliteStore.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT id, updated FROM incidents WHERE tenant = 't'";
        using SqliteDataReader reader = select.ExecuteReader();
        var updated = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            updated[reader.GetString(0)] = reader.GetInt64(1);
        }

        return updated;
    }
}
