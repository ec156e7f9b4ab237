using System.Globalization;
using System.Text.Json;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Sources;

namespace Forgewatch.Tokens.Policy;

/// <summary>
/// Reads a key-scope policy file (JSON; the format is documented in docs/token-policy.md): verifier settings,
/// where keys come from (files, HTTPS URLs, OpenID discovery documents) with an optional scope per key set,
/// and scope rules per <c>kid</c>. Unknown members are errors, so a misspelt rule never silently loosens the
/// policy. Relative file paths are read from the policy file's folder.
/// </summary>
public static class PolicyFile
{
    private static readonly string[] TopMembers = ["audiences", "tokenTypes", "clockSkewSeconds", "requireExpiry", "maxLifetimeMinutes", "maxTokenLength", "keySources", "keySets", "keys", "$comment"];
    private static readonly string[] SourceMembers = ["allowedHosts", "timeoutSeconds", "maxBytes", "refreshMinutes"];
    private static readonly string[] SetMembers = ["file", "url", "discovery", "scope", "$comment"];
    private static readonly string[] ScopeMembers = ["owner", "issuers", "tenants", "audiences", "tokenTypes", "notBefore", "notAfter", "retired", "$comment"];

    /// <summary>The fetch limits a policy file gives (<c>keySources</c>), for the fetcher that will load its
    /// key sets; extra hosts (named on a command line, say) may be added.</summary>
    public static KeyFetchOptions ReadFetchOptions(string path, IEnumerable<string>? extraHosts = null)
    {
        using JsonDocument document = Open(path);
        return FetchOptions(document.RootElement, path, extraHosts ?? []);
    }

    /// <summary>Loads the policy at <paramref name="path"/>, with <paramref name="extraSets"/> (already read,
    /// unscoped unless their JWKs carry issuers) added to its key sets.</summary>
    public static async Task<KeyScopePolicy> LoadAsync(string path, KeySetFetcher fetcher, IReadOnlyList<KeySet>? extraSets = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        using JsonDocument document = Open(path);
        JsonElement root = document.RootElement;
        CheckMembers(root, TopMembers, path);

        // The fetch limits are the fetcher's (ReadFetchOptions), but a mistake in them is this file's.
        _ = FetchOptions(root, path, []);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var sets = new List<KeySet>();
        var scopes = new List<KeyScope?>();
        if (root.TryGetProperty("keySets", out JsonElement keySets))
        {
            foreach (JsonElement entry in Array(keySets, "keySets", path))
            {
                CheckMembers(entry, SetMembers, $"{path}: a keySets entry");
                KeyScope? scope = entry.TryGetProperty("scope", out JsonElement scopeJson) ? ReadScope(scopeJson, $"{path}: a keySets scope") : null;
                (KeySet set, KeyScope? discovered) = await LoadSetAsync(entry, folder, fetcher, path, cancellationToken).ConfigureAwait(false);
                sets.Add(set);
                scopes.Add(scope ?? discovered);
            }
        }

        foreach (KeySet extra in extraSets ?? [])
        {
            sets.Add(extra);
            scopes.Add(null);
        }

        var rules = new Dictionary<string, KeyScope>(StringComparer.Ordinal);
        if (root.TryGetProperty("keys", out JsonElement keys))
        {
            foreach (JsonElement rule in Array(keys, "keys", path))
            {
                string kid = RequiredString(rule, "kid", $"{path}: a keys rule");
                if (!rules.TryAdd(kid, ReadScope(rule, $"{path}: the keys rule for \"{kid}\"", "kid")))
                {
                    throw new FormatException($"{path}: two keys rules for the kid \"{kid}\".");
                }
            }
        }

        return KeyScopePolicy.Create(sets, scopes, rules, ReadSettings(root, path));
    }

    /// <summary>A key set from a file path or an HTTPS URL, as named on a command line.</summary>
    public static async Task<KeySet> LoadKeySetAsync(string fileOrUrl, KeySetFetcher fetcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileOrUrl);
        ArgumentNullException.ThrowIfNull(fetcher);
        if (fileOrUrl.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(fileOrUrl, UriKind.Absolute, out Uri? url)
                ? await fetcher.GetKeySetAsync(url, cancellationToken).ConfigureAwait(false)
                : throw new KeySourceException($"\"{fileOrUrl}\" is not a URL.");
        }

        try
        {
            return KeySet.FromFile(fileOrUrl);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new KeySourceException($"The key set file {fileOrUrl} cannot be used: {e.Message}", e);
        }
    }

    /// <summary>The set an entry names, and for a discovery document the scope its <c>issuer</c> gives (keys that
    /// carry no issuer of their own may sign only for it).</summary>
    private static async Task<(KeySet Set, KeyScope? Discovered)> LoadSetAsync(JsonElement entry, string folder, KeySetFetcher fetcher, string path, CancellationToken cancellationToken)
    {
        string? file = OptionalString(entry, "file", path);
        string? url = OptionalString(entry, "url", path);
        string? discovery = OptionalString(entry, "discovery", path);
        if ((file is null ? 0 : 1) + (url is null ? 0 : 1) + (discovery is null ? 0 : 1) != 1)
        {
            throw new FormatException($"{path}: each keySets entry names exactly one of \"file\", \"url\" or \"discovery\".");
        }

        if (file is not null)
        {
            return (await LoadKeySetAsync(Path.Combine(folder, file), fetcher, cancellationToken).ConfigureAwait(false), null);
        }

        if (url is not null)
        {
            return (await LoadKeySetAsync(url, fetcher, cancellationToken).ConfigureAwait(false), null);
        }

        if (!Uri.TryCreate(discovery, UriKind.Absolute, out Uri? document))
        {
            throw new FormatException($"{path}: \"{discovery}\" is not a URL.");
        }

        DiscoveryDocument discovered = await fetcher.DiscoverKeySetAsync(document, cancellationToken).ConfigureAwait(false);
        KeySet keys = await fetcher.GetKeySetAsync(discovered.KeySet, cancellationToken).ConfigureAwait(false);
        KeyScope? scope = discovered.Issuer is { } issuer
            ? new KeyScope { Owner = $"the issuer {issuer} (its discovery document)", Issuers = [new IssuerTemplate(issuer)], Origin = KeyScopePolicy.DiscoveryOrigin }
            : null;
        return (keys, scope);
    }

    private static VerifierSettings ReadSettings(JsonElement root, string path)
    {
        var settings = new VerifierSettings
        {
            Audiences = Strings(root, "audiences", path),
            TokenTypes = Strings(root, "tokenTypes", path),
            RequireExpiry = !root.TryGetProperty("requireExpiry", out JsonElement expiry) || expiry.ValueKind != JsonValueKind.False,
        };
        if (root.TryGetProperty("clockSkewSeconds", out JsonElement skew))
        {
            double seconds = Number(skew, "clockSkewSeconds", path);
            settings = seconds >= 0 && seconds <= VerifierSettings.MaxClockSkew.TotalSeconds
                ? settings with { ClockSkew = TimeSpan.FromSeconds(seconds) }
                : throw new FormatException($"{path}: \"clockSkewSeconds\" must be between 0 and {VerifierSettings.MaxClockSkew.TotalSeconds}.");
        }

        if (root.TryGetProperty("maxLifetimeMinutes", out JsonElement lifetime))
        {
            settings = settings with { MaxLifetime = TimeSpan.FromMinutes(Number(lifetime, "maxLifetimeMinutes", path)) };
        }

        if (root.TryGetProperty("maxTokenLength", out JsonElement length))
        {
            try
            {
                settings = settings with { Limits = new TokenLimits { MaxTokenLength = (int)Number(length, "maxTokenLength", path) } };
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new FormatException($"{path}: \"maxTokenLength\": {e.Message}", e);
            }
        }

        return settings;
    }

    private static KeyFetchOptions FetchOptions(JsonElement root, string path, IEnumerable<string> extraHosts)
    {
        var options = new KeyFetchOptions();
        List<string> hosts = [.. extraHosts];
        if (root.TryGetProperty("keySources", out JsonElement sources))
        {
            CheckMembers(sources, SourceMembers, $"{path}: keySources");
            hosts.AddRange(Strings(sources, "allowedHosts", path));
            if (sources.TryGetProperty("timeoutSeconds", out JsonElement timeout))
            {
                options = options with { Timeout = TimeSpan.FromSeconds(Within(timeout, "timeoutSeconds", 1, 600, path)) };
            }

            if (sources.TryGetProperty("maxBytes", out JsonElement maxBytes))
            {
                options = options with { MaxBytes = (int)Within(maxBytes, "maxBytes", 1024, 64 * 1024 * 1024, path) };
            }

            if (sources.TryGetProperty("refreshMinutes", out JsonElement refresh))
            {
                options = options with { Refresh = TimeSpan.FromMinutes(Within(refresh, "refreshMinutes", 1, 7 * 24 * 60, path)) };
            }
        }

        return options with { AllowedHosts = hosts };
    }

    private static KeyScope ReadScope(JsonElement scope, string where, params string[] extraMembers)
    {
        CheckMembers(scope, [.. ScopeMembers, .. extraMembers], where);
        string[] issuers = Strings(scope, "issuers", where);
        return new KeyScope
        {
            Owner = OptionalString(scope, "owner", where) ?? "an owner the policy does not name",
            Issuers = issuers.Select(i => new IssuerTemplate(i)).ToArray(),
            Tenants = Strings(scope, "tenants", where),
            Audiences = Strings(scope, "audiences", where),
            TokenTypes = Strings(scope, "tokenTypes", where),
            NotBefore = Date(scope, "notBefore", where),
            NotAfter = Date(scope, "notAfter", where),
            Retired = Date(scope, "retired", where),
        };
    }

    private static JsonDocument Open(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"The policy file {path} cannot be read: {e.Message}", e);
        }

        return StrictJson.ParseObject(bytes, out string problem) ?? throw new FormatException($"The policy file {path} is {problem}.");
    }

    private static void CheckMembers(JsonElement element, string[] known, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} is not a JSON object.");
        }

        foreach (JsonProperty member in element.EnumerateObject())
        {
            if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                throw new FormatException($"{where}: unknown member \"{member.Name}\" (known: {string.Join(", ", known)}).");
            }
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new FormatException($"{path}: \"{name}\" is not a list.");

    private static string[] Strings(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out JsonElement list))
        {
            return [];
        }

        return list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
            ? list.EnumerateArray().Select(v => v.GetString()!).ToArray()
            : throw new FormatException($"{where}: \"{name}\" is not a list of non-empty strings.");
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"{where}: \"{name}\" is not a string.");
    }

    private static string RequiredString(JsonElement element, string name, string where) =>
        OptionalString(element, name, where) ?? throw new FormatException($"{where} has no \"{name}\".");

    private static double Number(JsonElement value, string name, string where) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() is >= 0 and <= int.MaxValue ? value.GetDouble() : throw new FormatException($"{where}: \"{name}\" is not a number between 0 and {int.MaxValue}.");

    private static double Within(JsonElement value, string name, double least, double most, string where)
    {
        double number = Number(value, name, where);
        return number >= least && number <= most ? number : throw new FormatException($"{where}: \"{name}\" must be between {least} and {most}.");
    }

    private static DateTimeOffset? Date(JsonElement element, string name, string where)
    {
        if (OptionalString(element, name, where) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date.ToUniversalTime()
            : throw new FormatException($"{where}: \"{name}\" is not a date (use ISO 8601, e.g. 2021-04-04T00:00:00Z).");
    }
}
