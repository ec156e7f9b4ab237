using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Parsing;

namespace Forgewatch.Tokens.Sources;

/// <summary>
/// Fetches JWK Sets and OpenID discovery documents over HTTPS from allowed hosts only, with a size and a time
/// limit, and keeps each set for <see cref="KeyFetchOptions.Refresh"/>. A failed refresh keeps the last good
/// set for up to <see cref="KeyFetchOptions.MaxStale"/> and says so in <see cref="LastProblem"/>; anything
/// else that fails is a <see cref="KeySourceException"/> naming the URL and the cause.
/// </summary>
public sealed class KeySetFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly KeyFetchOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);

    public KeySetFetcher(KeyFetchOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The last refresh that failed while an older set was still used, if any.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>The key set at <paramref name="url"/>, fetched or from the cache.</summary>
    public async Task<KeySet> GetKeySetAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        CheckAllowed(url);
        DateTimeOffset now = _time.GetUtcNow();
        if (_cache.TryGetValue(url.AbsoluteUri, out Cached? cached) && now - cached.FetchedAt < _options.Refresh)
        {
            return cached.Keys;
        }

        try
        {
            byte[] body = await GetAsync(url, "key set", cancellationToken).ConfigureAwait(false);
            KeySet keys;
            try
            {
                keys = JsonWebKeyReader.ReadSet(body, url.AbsoluteUri);
            }
            catch (FormatException e)
            {
                throw new KeySourceException($"The key set at {url} is not usable: {e.Message}", e);
            }

            _cache[url.AbsoluteUri] = new Cached(keys, now);
            return keys;
        }
        catch (KeySourceException e) when (cached is not null && now - cached.FetchedAt < _options.Refresh + _options.MaxStale)
        {
            LastProblem = $"{e.Message} The set fetched at {cached.FetchedAt:u} is still used.";
            return cached.Keys;
        }
    }

    /// <summary>The <c>jwks_uri</c> (itself held to the same rules) and <c>issuer</c> of the OpenID discovery
    /// document at <paramref name="url"/> (<c>.../.well-known/openid-configuration</c>).</summary>
    public async Task<DiscoveryDocument> DiscoverKeySetAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        CheckAllowed(url);
        byte[] body = await GetAsync(url, "discovery document", cancellationToken).ConfigureAwait(false);
        using JsonDocument document = StrictJson.ParseObject(body, out string problem)
            ?? throw new KeySourceException($"The discovery document at {url} is {problem}.");
        if (!document.RootElement.TryGetProperty("jwks_uri", out JsonElement jwks) || jwks.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out Uri? jwksUri))
        {
            throw new KeySourceException($"The discovery document at {url} has no absolute \"jwks_uri\".");
        }

        CheckAllowed(jwksUri);
        string? issuer = document.RootElement.TryGetProperty("issuer", out JsonElement iss) && iss.ValueKind == JsonValueKind.String && iss.GetString() is { Length: > 0 } text ? text : null;
        return new DiscoveryDocument(jwksUri, issuer);
    }

    private void CheckAllowed(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new KeySourceException($"Keys are fetched over HTTPS only; {url} is not HTTPS.");
        }

        if (!_options.AllowedHosts.Any(host => string.Equals(host, url.IdnHost, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KeySourceException($"The host {url.IdnHost} is not among the hosts the policy allows keys from ({(_options.AllowedHosts.Count == 0 ? "none" : string.Join(", ", _options.AllowedHosts))}).");
        }
    }

    private async Task<byte[]> GetAsync(Uri url, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new KeySourceException($"The {what} at {url} could not be fetched: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > _options.MaxBytes)
            {
                throw new KeySourceException($"The {what} at {url} is {response.Content.Headers.ContentLength:N0} bytes; the limit is {_options.MaxBytes:N0}.");
            }

            await using Stream stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var body = new MemoryStream();
            byte[] chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > _options.MaxBytes)
                {
                    throw new KeySourceException($"The {what} at {url} is over the limit of {_options.MaxBytes:N0} bytes.");
                }

                body.Write(chunk, 0, read);
            }

            return body.ToArray();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeySourceException($"The {what} at {url} could not be fetched within {_options.Timeout.TotalSeconds:0.#} seconds.");
        }
        catch (HttpRequestException e)
        {
            throw new KeySourceException($"The {what} at {url} could not be fetched: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record Cached(KeySet Keys, DateTimeOffset FetchedAt);
}

/// <summary>What an OpenID discovery document says about keys: where they are, and whom they sign for.</summary>
public sealed record DiscoveryDocument(Uri KeySet, string? Issuer)
{
}
