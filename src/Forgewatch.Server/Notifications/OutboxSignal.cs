namespace Forgewatch.Server.Notifications;

/// <summary>
/// Wakes the notification sender when incidents were saved, so that a final incident is announced within
/// moments rather than at the next poll. Raising it many times before the sender wakes counts once.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _raised = new(0, 1);

    public void Raise()
    {
        try
        {
            _raised.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already raised and not yet taken: the sender will look once for both.
        }
    }

    /// <summary>Waits until raised or until <paramref name="timeout"/> has passed.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _raised.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _raised.Dispose();
}
