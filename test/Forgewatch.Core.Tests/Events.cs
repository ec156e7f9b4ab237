using Forgewatch.Core.Events;

namespace Forgewatch.Core.Tests;

/// <summary>Builds events for tests.</summary>
internal static class Events
{
    public static DateTime At(int day, int hour, int minute = 0) => new(2023, 6, day, hour, minute, 0, DateTimeKind.Utc);

    public static MailAccessEvent MailAccess(DateTime time, string? tenant = "t1", string user = "bob@contoso.com", string id = "r1") =>
        new(new EventHeader(id, time, "MailItemsAccessed", LogKind.UalMailAccess, new RecordOrigin("f", SourceShape.UalJsonLines, 1, 0), TenantId: tenant, UserId: user))
        {
            MailboxOwner = user,
        };

    public static SignInEvent SignIn(DateTime time, string? tenant, string user = "bob@contoso.com", LogKind log = LogKind.EntraInteractiveSignIn, string id = "s1") =>
        new(new EventHeader(id, time, "Sign-in activity", log, new RecordOrigin("f", SourceShape.SignInGraphJson, 0, 0), TenantId: tenant, UserId: user))
        {
            Succeeded = true,
        };
}
