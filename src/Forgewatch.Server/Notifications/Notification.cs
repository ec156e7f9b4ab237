namespace Forgewatch.Server.Notifications;

/// <summary>One message waiting in the outbox (or delivered): to one route of one tenant, about one change
/// of one incident. <see cref="Payload"/> is the JSON body sent.</summary>
public sealed record Notification(long Id, string Tenant, string Incident, string Channel, string Target, string Payload, int Attempts);

/// <summary>The routes a notification can take.</summary>
public static class NotificationChannels
{
    public const string Webhook = "webhook";
    public const string Email = "email";
}
