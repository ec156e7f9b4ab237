using Forgewatch.Reports.Terminal;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Notifications;

/// <summary>
/// Announces incidents that have stood for <c>settle</c> (<see cref="IServerStore.NotifySettled"/>) and sends
/// what waits in the outbox, every <c>pollInterval</c> and whenever incidents were saved
/// (<see cref="OutboxSignal"/>). A failed send is
/// tried again after a backoff that doubles from 1 s up to <c>maxBackoff</c>, without limit on attempts: a
/// notification is delayed while its receiver is down, never dropped. Each is recorded delivered only after
/// the receiver accepted it.
/// </summary>
public sealed partial class NotificationService(
    IServerStore store,
    WebhookSender webhooks,
    EmailSender? email,
    TimeProvider time,
    TimeSpan pollInterval,
    TimeSpan maxBackoff,
    TimeSpan settle,
    OutboxSignal signal,
    ILogger<NotificationService> log) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>Sends everything due now; returns how many were delivered.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        store.NotifySettled(time.GetUtcNow(), settle, email is not null, NotificationPayload.Write);
        int delivered = 0;
        foreach (Notification notification in store.DueNotifications(time.GetUtcNow(), BatchSize))
        {
            string? failure;
            try
            {
                failure = notification.Channel switch
                {
                    NotificationChannels.Webhook => await SendWebhookAsync(notification, cancellationToken).ConfigureAwait(false),
                    NotificationChannels.Email when email is not null => await email.SendAsync(notification, cancellationToken).ConfigureAwait(false),
                    _ => $"no sender for channel \"{notification.Channel}\" is configured",
                };
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong is recorded on the notification and it is tried again later.
                failure = $"sending failed: {e.GetType().Name}: {e.Message}";
            }

            if (failure is null)
            {
                store.MarkDelivered(notification.Id, time.GetUtcNow());
                delivered++;
                continue;
            }

            // The failure quotes the receiver's own words: neutralized before it reaches the log and the store.
            failure = TerminalText.Safe(failure, 500);
            TimeSpan wait = Backoff(notification.Attempts);
            store.Reschedule(notification.Id, time.GetUtcNow() + wait, failure);
            LogRetry(notification.Id, notification.Channel, notification.Tenant, failure, wait.TotalSeconds);
        }

        return delivered;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }

            await signal.WaitAsync(pollInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(maxBackoff.TotalSeconds, Math.Pow(2, Math.Min(attempts, 20))));

    private async Task<string?> SendWebhookAsync(Notification notification, CancellationToken cancellationToken)
    {
        return store.WebhookSettings(notification.Tenant) is not { } settings
            ? "the tenant has no webhook secret"
            : await webhooks.SendAsync(notification, settings.Secret, settings.Format, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Notification {Id} ({Channel}, tenant {Tenant}) not delivered: {Failure}; next try in {Seconds} s.")]
    private partial void LogRetry(long id, string channel, string tenant, string failure, double seconds);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Error, Message = "The notification sender failed; it goes on at its next poll.")]
    private partial void LogFailed(Exception exception);
}
