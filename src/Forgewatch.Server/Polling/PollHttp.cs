using System.Net;
using System.Net.Http.Headers;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Sends the requests of one source of one tenant and retries them: 429 and 503 wait for their
/// <c>Retry-After</c> (seconds or a date, at most <see cref="PollerTiming.MaxRetryAfter"/>); other transient
/// failures (5xx, 408, no connection, no answer within <see cref="PollerTiming.RequestTimeout"/>) back off
/// exponentially up to a cap; a 401 renews the token once. Any other answer is returned as it is (a success over the body limit without its body). After
/// <see cref="PollerTiming.MaxAttempts"/> attempts it throws <see cref="PollFailedException"/>.
/// Written here rather than with Microsoft.Extensions.Http.Resilience: the loop also renews tokens, counts
/// throttling per tenant and source, and bounds bodies, which would take as much code around that handler.
/// One source's loop uses it at a time: not thread-safe.
/// </summary>
internal sealed class PollHttp(Func<HttpClient> http, PollerTiming timing, TimeProvider time, ServerMetrics metrics, ILogger log, string tenant, string source, long maxBodyBytes)
{
    /// <summary>Error bodies are only quoted in logs: a little of them is enough.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    public string Tenant => tenant;

    public string Source => source;

    /// <summary>Sends the request <paramref name="create"/> makes (anew for each attempt). With
    /// <paramref name="renewToken"/>, a 401 renews the token and tries once more.</summary>
    public async Task<ApiResponse> SendAsync(string what, Func<CancellationToken, ValueTask<HttpRequestMessage>> create, Func<CancellationToken, ValueTask>? renewToken, CancellationToken cancellationToken)
    {
        bool renewed = false;
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            string reason;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(timing.RequestTimeout);
                metrics.PollRequest(tenant, source);
                try
                {
                    using HttpRequestMessage request = await create(cancellationToken).ConfigureAwait(false);
                    using HttpResponseMessage response = await http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                    HttpStatusCode status = response.StatusCode;
                    if (status == HttpStatusCode.Unauthorized && renewToken is not null && !renewed)
                    {
                        renewed = true;
                        attempt--;
                        await renewToken(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    {
                        metrics.PollThrottled(tenant, source);
                        TimeSpan? retryAfter = RetryAfter(response.Headers.RetryAfter, time.GetUtcNow());
                        wait = retryAfter is { } asked ? Clamp(asked) : timing.Backoff(attempt);
                        reason = $"{(int)status} {status}";
                        log.Throttled(tenant, source, what, (int)status, retryAfter is null ? "no Retry-After" : "Retry-After", wait.TotalSeconds);
                    }
                    else if (IsTransient(status))
                    {
                        wait = timing.Backoff(attempt);
                        reason = $"{(int)status} {status}";
                    }
                    else
                    {
                        bool success = (int)status is >= 200 and <= 299;
                        byte[]? body = await ReadAsync(response, success ? maxBodyBytes : MaxErrorBodyBytes, attemptTimeout.Token).ConfigureAwait(false);
                        string? next = response.Headers.TryGetValues("NextPageUri", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
                        return new ApiResponse(status, body ?? [], next, TooLarge: body is null && success);
                    }
                }
                catch (HttpRequestException e)
                {
                    wait = timing.Backoff(attempt);
                    reason = Reports.LogText.Escaped(e.Message);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    wait = timing.Backoff(attempt);
                    reason = $"no answer within {timing.RequestTimeout.TotalSeconds:0} s";
                }
            }

            if (attempt >= timing.MaxAttempts)
            {
                throw new PollFailedException($"{what}: {reason}, {attempt} attempts.");
            }

            log.Retrying(tenant, source, what, reason, attempt, timing.MaxAttempts, wait.TotalSeconds);
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait a <c>Retry-After</c> asks for: seconds, or a date (then from <paramref name="now"/>);
    /// null when there is none.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) =>
        header?.Delta is { } delta ? delta
        : header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero)
        : null;

    private TimeSpan Clamp(TimeSpan asked) => asked < TimeSpan.Zero ? TimeSpan.Zero : asked > timing.MaxRetryAfter ? timing.MaxRetryAfter : asked;

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        return await BoundedBody.CopyAsync(body, copy, maxBytes, cancellationToken).ConfigureAwait(false) < 0 ? null : copy.ToArray();
    }
}
