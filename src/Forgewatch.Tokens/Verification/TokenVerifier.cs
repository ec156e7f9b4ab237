using System.Buffers;
using System.Text;
using Forgewatch.Tokens.Claims;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Verification;

/// <summary>
/// Verifies compact JWS tokens against a <see cref="KeyScopePolicy"/>. In order: the token is taken apart and
/// checked without a key (<see cref="CompactJws"/>); the key it names is found; the algorithm must be the
/// key's own; the signature must verify; the claims are read; the key must be in scope for the issuer,
/// tenant, audience, type and time the token claims (else the verdict is <see cref="VerdictKind.Forged"/>:
/// a good signature from a key with no right to sign this); and the claims must hold (expiry, not-before,
/// issued-at with bounded skew, audience, type). Thread-safe; one instance serves every request.
/// </summary>
public sealed class TokenVerifier
{
    private const string ValidMessage = "The signature is good, the key is in scope for what the token claims, and its claims hold.";

    private readonly TimeProvider _time;
    private readonly VerifierSettings _settings;
    private readonly byte[][] _audiences;
    private readonly AudienceTest _acceptedAudience;
    private readonly TextCache _texts = new();

    public TokenVerifier(KeyScopePolicy policy, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _settings = policy.Settings;
        _time = time ?? TimeProvider.System;
        _audiences = _settings.Audiences.Select(Encoding.UTF8.GetBytes).ToArray();
        _acceptedAudience = AcceptedAudience;
    }

    public KeyScopePolicy Policy { get; }

    /// <summary>Verifies <paramref name="token"/> as a JWT, now.</summary>
    public TokenVerdict Verify(ReadOnlySpan<char> token) => Verify(token, _time.GetUtcNow());

    /// <summary>Verifies <paramref name="token"/> as a JWT as of <paramref name="at"/> (for tokens captured
    /// in the past: expiry and key validity are judged at that time).</summary>
    public TokenVerdict Verify(ReadOnlySpan<char> token, DateTimeOffset at)
    {
        if (token.Length > _settings.Limits.MaxTokenLength)
        {
            return TooLarge(token.Length);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(CompactJws.BufferSize(token.Length));
        try
        {
            if (VerifyJws(token, buffer, out JwsParts parts, out ScopedKey? key) is { } refused)
            {
                return refused;
            }

            Span<byte> scratch = parts.Scratch;
            if (ClaimSet.Read(parts.Payload, scratch, _settings.Limits.MaxJsonDepth, out ClaimSet claims) is { } badClaims)
            {
                return badClaims with { Details = Describe(key!, parts, default, default) };
            }

            Span<byte> audienceBuffer = scratch[parts.Payload.Length..];
            return CheckScope(key!, parts, claims, audienceBuffer, at)
                ?? CheckClaims(key!, parts, claims, audienceBuffer, at)
                ?? new TokenVerdict(VerdictKind.Valid, Reasons.Valid, ValidMessage) { Details = Valid(key!, parts, claims, audienceBuffer) };
        }
        finally
        {
            Release(buffer, token.Length);
        }
    }

    /// <summary>The JWS layer alone (RFC 7515), for payloads that are not JWTs: the token's form, its key and
    /// its signature, with no claims read. <paramref name="payload"/> is the payload when valid.</summary>
    public TokenVerdict VerifySignature(ReadOnlySpan<char> token, out byte[]? payload)
    {
        payload = null;
        if (token.Length > _settings.Limits.MaxTokenLength)
        {
            return TooLarge(token.Length);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(CompactJws.BufferSize(token.Length));
        try
        {
            if (VerifyJws(token, buffer, out JwsParts parts, out ScopedKey? key) is { } refused)
            {
                return refused;
            }

            payload = parts.Payload.ToArray();
            return new TokenVerdict(VerdictKind.Valid, Reasons.Valid, $"The signature is good: {key!.Key.Algorithm.Name()} by key \"{key.Key.Name}\".");
        }
        finally
        {
            Release(buffer, token.Length);
        }
    }

    private TokenVerdict? VerifyJws(ReadOnlySpan<char> token, Span<byte> buffer, out JwsParts parts, out ScopedKey? key)
    {
        key = null;
        if (CompactJws.TryParse(token, _settings.Limits, buffer, out parts) is { } malformed)
        {
            return malformed;
        }

        key = Policy.Find(parts.KeyId, parts.Thumbprint, out TokenVerdict? noKey);
        if (key is null)
        {
            return noKey;
        }

        if (parts.Algorithm != key.Key.Algorithm)
        {
            return TokenVerdict.Invalid(Reasons.AlgorithmMismatch, $"The token claims {parts.Algorithm.Name()}, but key \"{key.Key.Name}\" verifies only {key.Key.Algorithm.Name()}; the algorithm is the key's, never the token's.");
        }

        if (!key.Key.Verify(parts.SigningInput, parts.Signature))
        {
            return TokenVerdict.Invalid(Reasons.BadSignature, $"The {parts.Algorithm.Name()} signature does not verify with key \"{key.Key.Name}\".");
        }

        return null;
    }

    /// <summary>Forged when the key had no right to sign what the token claims.</summary>
    private TokenVerdict? CheckScope(ScopedKey key, JwsParts parts, ClaimSet claims, Span<byte> audienceBuffer, DateTimeOffset at)
    {
        KeyScope scope = key.Scope;
        if (!scope.IsBound && key.Key.Facts.CertificateNotBefore is null)
        {
            return null;
        }

        if (!scope.AllowsIssuer(claims.Issuer, claims.Tenant))
        {
            string tenant = claims.Tenant.IsEmpty ? "no tenant (no tid)" : $"tenant {Shown(claims.Tenant)}";
            return Forged(Reasons.IssuerOutOfScope, key, parts, claims, audienceBuffer, $"The signature is good, but the token claims issuer {Shown(claims.Issuer)} for {tenant}, and key \"{key.Key.Name}\" belongs to {scope.Owner}: it may sign only for {string.Join(", ", scope.Issuers)}.");
        }

        if (!scope.AllowsTenant(claims.Tenant))
        {
            return Forged(Reasons.TenantOutOfScope, key, parts, claims, audienceBuffer, $"The signature is good, but the token claims tenant {(claims.Tenant.IsEmpty ? "(none)" : Shown(claims.Tenant))}, and key \"{key.Key.Name}\" belongs to {scope.Owner}: it may sign only for tenants {string.Join(", ", scope.Tenants)}.");
        }

        if (scope.RestrictsAudience && !AnyAudience(claims, audienceBuffer, scope.AllowsAudience))
        {
            return Forged(Reasons.AudienceOutOfScope, key, parts, claims, audienceBuffer, $"The signature is good, but key \"{key.Key.Name}\" belongs to {scope.Owner} and may sign only for audiences {string.Join(", ", scope.Audiences)}, which the token's \"aud\" does not hold.");
        }

        if (scope.TokenTypes.Count > 0 && !TypeIn(parts.Type, scope.TokenTypes))
        {
            return Forged(Reasons.TypeOutOfScope, key, parts, claims, audienceBuffer, $"The signature is good, but key \"{key.Key.Name}\" may sign only tokens of type {string.Join(", ", scope.TokenTypes)}, and this one is {(parts.Type.IsEmpty ? "untyped" : Shown(parts.Type))}.");
        }

        DateTimeOffset issued = IssuedTime(claims, at);
        TimeSpan skew = _settings.ClockSkew;
        string? outside = issued + skew < scope.NotBefore ? $"was issued at {issued:u}, before the key's validity began ({scope.NotBefore:u})"
            : issued - skew > scope.NotAfter ? $"was issued at {issued:u}, after the key's validity ended ({scope.NotAfter:u})"
            : issued - skew >= scope.Retired ? $"was issued at {issued:u}, after the key was retired ({scope.Retired:u})"
            : at - skew >= scope.Retired ? $"is presented at {at:u}, after the key was retired ({scope.Retired:u})"
            : issued + skew < key.Key.Facts.CertificateNotBefore ? $"was issued at {issued:u}, before the key's certificate was valid ({key.Key.Facts.CertificateNotBefore:u})"
            : issued - skew > key.Key.Facts.CertificateNotAfter ? $"was issued at {issued:u}, after the key's certificate expired ({key.Key.Facts.CertificateNotAfter:u})"
            : null;
        return outside is null ? null : Forged(Reasons.KeyOutOfValidity, key, parts, claims, audienceBuffer, $"The signature is good, but the token {outside}: key \"{key.Key.Name}\" of {scope.Owner} had no right to sign it.");
    }

    /// <summary>Invalid when the token's own claims fail: expiry, not-before, issued-at, lifetime, audience, type.</summary>
    private TokenVerdict? CheckClaims(ScopedKey key, JwsParts parts, ClaimSet claims, Span<byte> audienceBuffer, DateTimeOffset at)
    {
        long now = at.ToUnixTimeSeconds();
        long skew = (long)_settings.ClockSkew.TotalSeconds;
        TokenVerdict? problem = null;
        if (claims.Expires is null && _settings.RequireExpiry)
        {
            problem = TokenVerdict.Invalid(Reasons.MissingClaim, "The token has no expiry (\"exp\").");
        }
        else if (claims.Expires is { } exp && now - skew >= exp)
        {
            problem = TokenVerdict.Invalid(Reasons.Expired, $"The token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):u} (checked at {at:u}, {_settings.ClockSkew.TotalMinutes:0.#} minutes of skew allowed).");
        }
        else if (claims.NotBefore is { } nbf && now + skew < nbf)
        {
            problem = TokenVerdict.Invalid(Reasons.NotYetValid, $"The token is not valid before {DateTimeOffset.FromUnixTimeSeconds(nbf):u} (checked at {at:u}).");
        }
        else if (claims.IssuedAt is { } iat && now + skew < iat)
        {
            problem = TokenVerdict.Invalid(Reasons.IssuedInFuture, $"The token claims to be issued at {DateTimeOffset.FromUnixTimeSeconds(iat):u}, in the future (checked at {at:u}).");
        }
        else if (_settings.MaxLifetime is { } longest && LifetimeProblem(claims, longest) is { } lifetime)
        {
            problem = lifetime;
        }
        else if (_audiences.Length > 0 && !AnyAudience(claims, audienceBuffer, _acceptedAudience))
        {
            problem = TokenVerdict.Invalid(Reasons.WrongAudience, $"The token is not for this audience: its \"aud\" holds none of {string.Join(", ", _settings.Audiences)}.");
        }
        else if (_settings.TokenTypes.Count > 0 && !TypeIn(parts.Type, _settings.TokenTypes))
        {
            problem = TokenVerdict.Invalid(Reasons.WrongType, $"The token's type is {(parts.Type.IsEmpty ? "missing" : Shown(parts.Type))}; accepted: {string.Join(", ", _settings.TokenTypes)}.");
        }

        return problem is null ? null : problem with { Details = Describe(key, parts, claims, audienceBuffer) };
    }

    private static TokenVerdict? LifetimeProblem(ClaimSet claims, TimeSpan longest)
    {
        if (claims.IssuedAt is not { } iat || claims.Expires is not { } exp)
        {
            return TokenVerdict.Invalid(Reasons.MissingClaim, "The policy limits token lifetime, and the token lacks \"iat\" or \"exp\".");
        }

        return exp - iat > longest.TotalSeconds
            ? TokenVerdict.Invalid(Reasons.LifetimeTooLong, $"The token lives {TimeSpan.FromSeconds(exp - iat)}; the policy allows at most {longest}.")
            : null;
    }

    private bool AcceptedAudience(ReadOnlySpan<byte> audience)
    {
        foreach (byte[] accepted in _audiences)
        {
            if (audience.SequenceEqual(accepted))
            {
                return true;
            }
        }

        return false;
    }

    private delegate bool AudienceTest(ReadOnlySpan<byte> audience);

    private static bool AnyAudience(ClaimSet claims, Span<byte> buffer, AudienceTest test)
    {
        AudienceReader audiences = claims.Audiences(buffer);
        while (audiences.Next(out ReadOnlySpan<byte> audience, out _))
        {
            if (test(audience))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TypeIn(ReadOnlySpan<byte> type, IReadOnlyList<string> accepted)
    {
        if (type.IsEmpty || type.Length > 256)
        {
            return false;
        }

        Span<char> chars = stackalloc char[type.Length];
        int count = Encoding.UTF8.GetChars(type, chars);
        foreach (string name in accepted)
        {
            if (chars[..count].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset IssuedTime(ClaimSet claims, DateTimeOffset at) =>
        claims.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeSeconds(iat)
        : claims.NotBefore is { } nbf ? DateTimeOffset.FromUnixTimeSeconds(nbf)
        : at;

    private static TokenVerdict Forged(string reason, ScopedKey key, JwsParts parts, ClaimSet claims, Span<byte> audienceBuffer, string message) =>
        new(VerdictKind.Forged, reason, message) { Details = Describe(key, parts, claims, audienceBuffer) with { AllowedIssuers = key.Scope.Issuers.Select(i => i.Text).ToArray() } };

    private TokenDetails Valid(ScopedKey key, JwsParts parts, ClaimSet claims, Span<byte> audienceBuffer) => new()
    {
        Algorithm = parts.Algorithm.Name(),
        KeyId = key.Key.Name,
        KeyOwner = key.Scope.Owner,
        KeyScope = key.Scope.Origin,
        Issuer = _texts.Get(claims.Issuer),
        Tenant = _texts.Get(claims.Tenant),
        Audience = FirstAudience(claims, audienceBuffer, _texts),
        Subject = Text(claims.Subject),
        Application = _texts.Get(claims.Application),
        IssuedAt = claims.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeSeconds(iat) : null,
        ExpiresAt = claims.Expires is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null,
    };

    /// <summary>Details for a refusal: the token's claims as written, quoted through <see cref="ShownText"/>.</summary>
    private static TokenDetails Describe(ScopedKey key, JwsParts parts, ClaimSet claims, Span<byte> audienceBuffer) =>
        new()
        {
            Algorithm = parts.Algorithm.Name(),
            KeyId = key.Key.Name,
            KeyOwner = key.Scope.Owner,
            KeyScope = key.Scope.Origin,
            Issuer = ShownOrNull(claims.Issuer),
            Tenant = ShownOrNull(claims.Tenant),
            Audience = claims.HasAudience && FirstAudience(claims, audienceBuffer) is { } audience ? ShownText.Of(audience) : null,
            Subject = ShownOrNull(claims.Subject),
            Application = ShownOrNull(claims.Application),
            IssuedAt = claims.IssuedAt is { } iat ? DateTimeOffset.FromUnixTimeSeconds(iat) : null,
            ExpiresAt = claims.Expires is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null,
        };

    private static string? FirstAudience(ClaimSet claims, Span<byte> buffer, TextCache? texts = null)
    {
        AudienceReader audiences = claims.Audiences(buffer);
        return !audiences.Next(out ReadOnlySpan<byte> first, out _) ? null
            : texts is null ? Encoding.UTF8.GetString(first)
            : texts.Get(first);
    }

    private static string? Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Encoding.UTF8.GetString(utf8);

    private static string? ShownOrNull(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : ShownText.Of(Encoding.UTF8.GetString(utf8));

    private static string Shown(ReadOnlySpan<byte> utf8) => $"\"{ShownText.Of(Encoding.UTF8.GetString(utf8))}\"";

    /// <summary>The token and its decoded claims are a credential and personal data: wiped before the buffer
    /// goes back to the shared pool.</summary>
    private static void Release(byte[] buffer, int tokenLength)
    {
        buffer.AsSpan(0, Math.Min(buffer.Length, CompactJws.BufferSize(tokenLength))).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private TokenVerdict TooLarge(int length) =>
        TokenVerdict.Invalid(Reasons.TooLarge, $"The token is {length:N0} characters long; the limit is {_settings.Limits.MaxTokenLength:N0}.");
}
