using System.Text;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Policy;

/// <summary>
/// The keys a verifier trusts, each bound to its scope, and the settings every token must meet. A key's
/// scope is, in order: a rule for its <c>kid</c> in the policy; the scope given to its key set; the
/// <c>issuer</c> member of its JWK (Microsoft's published key sets carry one, so such a set is a policy by
/// itself); the <c>issuer</c> of the discovery document that named its set; else none, and the key may sign
/// for any issuer. Keys answer to their <c>kid</c>, else to their
/// <c>x5t</c>; two different keys under one name make the name ambiguous, and tokens naming it are refused.
/// </summary>
public sealed class KeyScopePolicy
{
    private readonly Dictionary<string, Entry> _byKeyId;
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byKeyIdSpan;
    private readonly Dictionary<string, Entry> _byThumbprint;
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byThumbprintSpan;

    private KeyScopePolicy(List<ScopedKey> keys, List<RefusedKey> refused, VerifierSettings settings)
    {
        Keys = keys;
        Refused = refused;
        Settings = settings;
        _byKeyId = Index(keys, refused, k => k.KeyId);
        _byThumbprint = Index(keys, [], k => k.Facts.Thumbprint);
        _byKeyIdSpan = _byKeyId.GetAlternateLookup<ReadOnlySpan<char>>();
        _byThumbprintSpan = _byThumbprint.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<ScopedKey> Keys { get; }

    public IReadOnlyList<RefusedKey> Refused { get; }

    public VerifierSettings Settings { get; }

    /// <summary>A policy over <paramref name="sets"/> with <paramref name="rules"/> (scopes by <c>kid</c>, which
    /// win) and scopes per key set (<paramref name="setScopes"/>, same order as <paramref name="sets"/>, null
    /// entries for none). The sets stay their owner's: a policy may share them with others (a fetcher's
    /// cache, the next policy after a refresh).</summary>
    public static KeyScopePolicy Create(IReadOnlyList<KeySet> sets, IReadOnlyList<KeyScope?>? setScopes = null, IReadOnlyDictionary<string, KeyScope>? rules = null, VerifierSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var keys = new List<ScopedKey>();
        var refused = new List<RefusedKey>();
        for (int i = 0; i < sets.Count; i++)
        {
            KeyScope? setScope = setScopes is not null && i < setScopes.Count ? setScopes[i] : null;
            foreach (SigningKey key in sets[i].Keys)
            {
                AddOnce(keys, new ScopedKey(key, ScopeOf(key, setScope, rules)));
            }

            refused.AddRange(sets[i].Refused);
        }

        return new KeyScopePolicy(keys, refused, settings ?? new VerifierSettings());
    }

    /// <summary>The same key (same kid, same material) listed in several sets is one key, with the most
    /// specific of its scopes: a rule for its kid, else the first key set scope, else its JWK's issuer.</summary>
    private static void AddOnce(List<ScopedKey> keys, ScopedKey candidate)
    {
        int same = keys.FindIndex(k => k.Key.KeyId is not null && k.Key.KeyId == candidate.Key.KeyId && k.Key.Fingerprint == candidate.Key.Fingerprint && k.Key.Algorithm == candidate.Key.Algorithm);
        if (same < 0)
        {
            keys.Add(candidate);
        }
        else if (Rank(candidate.Scope) > Rank(keys[same].Scope))
        {
            keys[same] = candidate;
        }
    }

    private static int Rank(KeyScope scope) => scope.Origin switch
    {
        RuleOrigin => 4,
        SetOrigin => 3,
        IssuerMemberOrigin => 2,
        DiscoveryOrigin => 1,
        _ => 0,
    };

    /// <summary><see cref="KeyScope.Origin"/> of a scope given by a rule for one kid.</summary>
    public const string RuleOrigin = "a policy rule for its kid";

    /// <summary><see cref="KeyScope.Origin"/> of a scope given to a whole key set.</summary>
    public const string SetOrigin = "its key set's scope in the policy";

    /// <summary><see cref="KeyScope.Origin"/> of a scope read from the JWK's own <c>issuer</c> member.</summary>
    public const string IssuerMemberOrigin = "the JWK's issuer member";

    /// <summary><see cref="KeyScope.Origin"/> of a scope from the <c>issuer</c> of the OpenID discovery
    /// document that named the key set. Give a set scope this origin to make it a fallback: it then applies
    /// only to keys that carry no <c>issuer</c> member of their own.</summary>
    public const string DiscoveryOrigin = "the issuer of its discovery document";

    private static KeyScope ScopeOf(SigningKey key, KeyScope? setScope, IReadOnlyDictionary<string, KeyScope>? rules)
    {
        if (key.KeyId is not null && rules is not null && rules.TryGetValue(key.KeyId, out KeyScope? rule))
        {
            return rule with { Origin = RuleOrigin };
        }

        if (setScope is not null && setScope.Origin != DiscoveryOrigin)
        {
            return setScope with { Origin = SetOrigin };
        }

        if (key.Facts.Issuer is { } issuer)
        {
            return new KeyScope { Owner = $"the issuer {issuer}", Issuers = [new IssuerTemplate(issuer)], Origin = IssuerMemberOrigin };
        }

        return setScope ?? KeyScope.Unbound;
    }

    /// <summary>The same keys and scopes under other settings (audiences given on a command line, say).</summary>
    public KeyScopePolicy WithSettings(VerifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new KeyScopePolicy([.. Keys], [.. Refused], settings);
    }

    /// <summary>The key a token names, or the verdict that no single usable key answers to it.</summary>
    internal ScopedKey? Find(ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> thumbprint, out TokenVerdict? refusal)
    {
        refusal = null;
        Entry? entry;
        if (!keyId.IsEmpty)
        {
            entry = Lookup(_byKeyIdSpan, keyId);
            if (entry is null)
            {
                refusal = TokenVerdict.Invalid(Reasons.UnknownKey, $"No trusted key has the token's kid \"{ShownText.Of(Encoding.UTF8.GetString(keyId))}\".");
                return null;
            }
        }
        else if (!thumbprint.IsEmpty)
        {
            entry = Lookup(_byThumbprintSpan, thumbprint);
            if (entry is null)
            {
                refusal = TokenVerdict.Invalid(Reasons.UnknownKey, $"No trusted key has the token's x5t \"{ShownText.Of(Encoding.UTF8.GetString(thumbprint))}\".");
                return null;
            }
        }
        else if (Keys.Count == 1 && Refused.Count == 0)
        {
            return Keys[0];
        }
        else
        {
            refusal = TokenVerdict.Invalid(Reasons.UnknownKey, $"The token names no key (no kid, no x5t), and the policy holds {Keys.Count + Refused.Count} keys: it must say which.");
            return null;
        }

        if (entry.Value.Ambiguous)
        {
            refusal = TokenVerdict.Invalid(Reasons.AmbiguousKey, $"More than one key answers to \"{ShownText.Of(Encoding.UTF8.GetString(keyId.IsEmpty ? thumbprint : keyId))}\"; a token naming it could be checked against either, so it is refused.");
            return null;
        }

        if (entry.Value.Refused is { } refusedKey)
        {
            refusal = TokenVerdict.Invalid(Reasons.KeyRefused, $"The key \"{ShownText.Of(refusedKey.KeyId ?? "")}\" from {refusedKey.Source} was refused when read ({refusedKey.Reason}): {refusedKey.Message}");
            return null;
        }

        return entry.Value.Key;
    }

    private static Entry? Lookup(Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[name.Length];
        int count = Encoding.UTF8.GetChars(name, chars);
        return lookup.TryGetValue(chars[..count], out Entry entry) ? entry : null;
    }

    private static Dictionary<string, Entry> Index(List<ScopedKey> keys, List<RefusedKey> refused, Func<SigningKey, string?> name)
    {
        var index = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (ScopedKey key in keys)
        {
            if (name(key.Key) is { } n)
            {
                index[n] = index.ContainsKey(n) ? new Entry(null, null, true) : new Entry(key, null, false);
            }
        }

        foreach (RefusedKey key in refused)
        {
            if (key.KeyId is { } n)
            {
                index[n] = index.ContainsKey(n) ? new Entry(null, null, true) : new Entry(null, key, false);
            }
        }

        return index;
    }

    private readonly record struct Entry(ScopedKey? Key, RefusedKey? Refused, bool Ambiguous);
}
