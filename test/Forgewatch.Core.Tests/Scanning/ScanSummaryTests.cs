using Forgewatch.Core.Events;
using Forgewatch.Core.Scanning;

namespace Forgewatch.Core.Tests.Scanning;

public sealed class ScanSummaryTests
{
    [Fact]
    public void Add_MixedEvents_CountsDistinctTenantsMailboxesUsersAndSpan()
    {
        var summary = new ScanSummary();
        summary.Add(Events.MailAccess(Events.At(5, 10), tenant: "t1", user: "bob@contoso.com"));
        summary.Add(Events.MailAccess(Events.At(6, 10), tenant: "t1", user: "BOB@contoso.com", id: "r2"));
        summary.Add(Events.SignIn(Events.At(4, 8), tenant: "t2", user: "carol@fabrikam.com"));
        summary.AddDuplicate();
        summary.AddRejected(fileLevel: false);
        summary.AddRejected(fileLevel: true);

        Assert.Equal(3, summary.Records);
        Assert.Equal(2, summary.Tenants);
        Assert.Equal(1, summary.Mailboxes);
        Assert.Equal(2, summary.Users);
        Assert.Equal(Events.At(4, 8), summary.First);
        Assert.Equal(Events.At(6, 10), summary.Last);
        Assert.Equal(1, summary.Duplicates);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(1, summary.FilesWithErrors);
        Assert.Equal(2, summary.ByShapeAndOperation[(SourceShape.UalJsonLines, "MailItemsAccessed")]);
    }

    [Fact]
    public void EventHeader_LocalTime_Refused()
    {
        var local = new DateTime(2023, 6, 5, 10, 0, 0, DateTimeKind.Local);

        Assert.Throws<ArgumentException>(() => Events.MailAccess(local));
    }
}
