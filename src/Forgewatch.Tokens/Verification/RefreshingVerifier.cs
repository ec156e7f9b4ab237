using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Sources;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Verification;

/// <summary>
/// A verifier for a long-running service whose keys rotate: it loads its policy (a policy file whose key sets
/// come from HTTPS URLs, say) once at start, then again every interval in the background, and swaps in the
/// new verifier only when the load succeeded. A failed reload keeps the last good policy and is reported
/// through <see cref="LastProblem"/> and the callback; verification never waits for a reload.
/// </summary>
public sealed class RefreshingVerifier : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<KeyScopePolicy>> _load;
    private readonly Action<Exception>? _failed;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private volatile TokenVerifier _current;
    private Task? _loop;

    private RefreshingVerifier(Func<CancellationToken, Task<KeyScopePolicy>> load, KeyScopePolicy first, Action<Exception>? failed, TimeProvider time)
    {
        _load = load;
        _failed = failed;
        _time = time;
        _current = new TokenVerifier(first, time);
        LoadedAt = time.GetUtcNow();
    }

    /// <summary>The verifier of the last policy that loaded.</summary>
    public TokenVerifier Current => _current;

    /// <summary>When the current policy loaded.</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    /// <summary>Why the last reload failed, if it did (cleared by the next success).</summary>
    public string? LastProblem { get; private set; }

    /// <summary>Loads the policy (failing if the first load fails: a service must not start without keys),
    /// then reloads it every <paramref name="interval"/> until disposed.</summary>
    public static async Task<RefreshingVerifier> StartAsync(Func<CancellationToken, Task<KeyScopePolicy>> load, TimeSpan interval, Action<Exception>? failed = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        KeyScopePolicy first = await load(cancellationToken).ConfigureAwait(false);
        var verifier = new RefreshingVerifier(load, first, failed, time ?? TimeProvider.System);
        verifier._loop = verifier.LoopAsync(interval);
        return verifier;
    }

    /// <summary>A policy file's verifier, reloaded at its key sources' refresh interval through
    /// <paramref name="fetcher"/> (whose cache decides when each key set is fetched again).</summary>
    public static Task<RefreshingVerifier> StartAsync(string policyPath, KeySetFetcher fetcher, TimeSpan interval, Action<Exception>? failed = null, CancellationToken cancellationToken = default) =>
        StartAsync(cancel => PolicyFile.LoadAsync(policyPath, fetcher, cancellationToken: cancel), interval, failed, cancellationToken: cancellationToken);

    public TokenVerdict Verify(ReadOnlySpan<char> token) => _current.Verify(token);

    /// <summary>Reloads now; true when the new policy is in use.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            KeyScopePolicy policy = await _load(cancellationToken).ConfigureAwait(false);
            _current = new TokenVerifier(policy, _time);
            LoadedAt = _time.GetUtcNow();
            LastProblem = null;
            return true;
        }
        catch (Exception e) when (e is KeySourceException or FormatException or IOException or HttpRequestException)
        {
            LastProblem = $"Reloading the key-scope policy failed; the policy loaded at {LoadedAt:u} is still used: {e.Message}";
            _failed?.Invoke(e);
            return false;
        }
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                await RefreshAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
