using Forgewatch.Reports.Terminal;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Sources;

namespace Forgewatch.Cli.Token;

/// <summary>Where the keys and the policy come from, and when tokens are judged.</summary>
internal sealed record TokenKeyOptions
{
    public string? PolicyFile { get; init; }

    /// <summary>JWK Set files or HTTPS URLs named with <c>--jwks</c>.</summary>
    public IReadOnlyList<string> KeySets { get; init; } = [];

    /// <summary><c>--audience</c> values; when any, they replace the policy's audiences.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Judge tokens as of this time instead of now.</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>
/// Builds the <see cref="KeyScopePolicy"/> a token command verifies with: from <c>--policy</c> (its key sets,
/// plus the <c>--jwks</c> ones) or from the <c>--jwks</c> sets alone. Hosts of <c>--jwks</c> URLs are allowed
/// as key sources (the user named them); HTTPS is still required. Failures are written to standard error as
/// one sentence each and give null; keys refused while reading are warned about.
/// </summary>
internal static class TokenKeys
{
    public static async Task<KeyScopePolicy?> LoadAsync(TokenKeyOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        if (options.PolicyFile is null && options.KeySets.Count == 0)
        {
            error.WriteLine("forgewatch: no keys: give --policy FILE, or --jwks FILE|URL (repeatable), or both.");
            return null;
        }

        if (options.PolicyFile is { } path && !File.Exists(path))
        {
            error.WriteLine($"forgewatch: no such policy file: {TerminalText.Safe(path, 300)}");
            return null;
        }

        List<string> hosts = [];
        foreach (string source in options.KeySets)
        {
            if (source.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(source, UriKind.Absolute, out Uri? url) && url.Scheme == Uri.UriSchemeHttps)
            {
                hosts.Add(url.IdnHost);
            }
        }

        KeyScopePolicy policy;
        try
        {
            KeyFetchOptions fetchOptions = options.PolicyFile is { } policyPath
                ? PolicyFile.ReadFetchOptions(policyPath, hosts)
                : new KeyFetchOptions { AllowedHosts = hosts };
            using var fetcher = new KeySetFetcher(fetchOptions);
            var extraSets = new List<KeySet>();
            foreach (string source in options.KeySets)
            {
                extraSets.Add(await PolicyFile.LoadKeySetAsync(source, fetcher, cancellationToken).ConfigureAwait(false));
            }

            if (options.PolicyFile is { } file)
            {
                policy = await PolicyFile.LoadAsync(file, fetcher, extraSets, cancellationToken).ConfigureAwait(false);
                if (options.Audiences.Count > 0)
                {
                    policy = policy.WithSettings(policy.Settings with { Audiences = options.Audiences });
                }
            }
            else
            {
                policy = KeyScopePolicy.Create(extraSets, settings: new VerifierSettings { Audiences = options.Audiences });
            }
        }
        catch (Exception e) when (e is KeySourceException or FormatException or ArgumentException)
        {
            // Messages name files, URLs and values read from them: printed safely.
            error.WriteLine($"forgewatch: cannot load the keys: {TerminalText.Safe(e.Message, 1000)}");
            return null;
        }

        WarnAbout(policy, error);
        return policy;
    }

    private static void WarnAbout(KeyScopePolicy policy, TextWriter error)
    {
        foreach (RefusedKey refused in policy.Refused)
        {
            error.WriteLine($"forgewatch: warning: key \"{TerminalText.Safe(refused.KeyId ?? "(no kid)", 100)}\" from {TerminalText.Safe(refused.Source, 300)} not used ({refused.Reason}): {TerminalText.Safe(refused.Message, 500)}");
        }

        if (policy.Keys.Count == 0)
        {
            error.WriteLine("forgewatch: warning: no usable keys; every token will be invalid.");
            return;
        }

        int unbound = policy.Keys.Count(k => !k.Scope.IsBound);
        if (unbound > 0)
        {
            string names = string.Join(", ", policy.Keys.Where(k => !k.Scope.IsBound).Take(5).Select(k => $"\"{TerminalText.Safe(k.Key.Name, 100)}\""));
            error.WriteLine($"forgewatch: warning: {unbound} of {policy.Keys.Count} keys have no scope (no policy rule, key set scope or JWK issuer member): {names}{(unbound > 5 ? ", ..." : string.Empty)}. Tokens they sign are never judged forged; bind them in a policy (docs/token-policy.md).");
        }
    }
}
