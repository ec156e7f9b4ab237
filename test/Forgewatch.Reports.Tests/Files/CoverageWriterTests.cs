using System.Text.Json;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;
using Forgewatch.Reports.Files;

namespace Forgewatch.Reports.Tests.Files;

public sealed class CoverageWriterTests
{
    [Fact]
    public void Write_TenantWithMailAccessOnly_ListsSpansAndMissingSignInLogs()
    {
        var map = new CoverageMap();
        var origin = new RecordOrigin("f", SourceShape.UalJsonLines, 1, 0);
        map.Add(new MailAccessEvent(new EventHeader("r1", new DateTime(2023, 6, 5, 10, 5, 0, DateTimeKind.Utc), "MailItemsAccessed", LogKind.UalMailAccess, origin, TenantId: "t1")));
        string dir = Directory.CreateTempSubdirectory("fw-cov").FullName;

        CoverageWriter.Write(dir, map);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, CoverageWriter.FileName)));
        JsonElement tenant = Assert.Single(doc.RootElement.GetProperty("tenants").EnumerateArray());
        Assert.Equal("t1", tenant.GetProperty("tenant").GetString());
        JsonElement log = Assert.Single(tenant.GetProperty("logs").EnumerateArray());
        Assert.Equal("ual.mail_access", log.GetProperty("log").GetString());
        Assert.Equal(1, log.GetProperty("records").GetInt64());
        JsonElement span = Assert.Single(log.GetProperty("spans").EnumerateArray());
        Assert.Equal("2023-06-05T10:00:00Z", span.GetProperty("from").GetString());
        Assert.Equal("2023-06-05T11:00:00Z", span.GetProperty("to").GetString());
        Assert.Equal(["entra.sign_in.interactive", "entra.sign_in.non_interactive"], tenant.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }
}
