using System.IdentityModel.Tokens.Jwt;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Forgewatch.Tokens.AspNetCore;

/// <summary>
/// Key-scope enforcement for ASP.NET Core JwtBearer authentication. JwtBearer alone accepts a token signed by
/// any key of the issuer's key set, whatever issuer or tenant the token claims: a key that may sign only for
/// consumer accounts can sign a token claiming an enterprise tenant, and JwtBearer lets it in (Storm-0558).
/// This adds the missing check: after JwtBearer has validated a token, a <see cref="TokenVerifier"/> verifies
/// it again and refuses it (401) unless the key that signed it may sign for the issuer, tenant, audience, type
/// and time the token claims.
/// </summary>
public static class KeyScopeEnforcement
{
    /// <summary>The logger category of refusals: forged tokens at <see cref="LogLevel.Warning"/>, tokens the
    /// verifier finds invalid at <see cref="LogLevel.Information"/>.</summary>
    public const string LoggerCategory = "Forgewatch.Tokens.KeyScope";

    /// <summary>
    /// Makes JwtBearer refuse tokens that <paramref name="verifier"/> does not find valid: a token signed by a
    /// key with no right to sign what it claims is refused as forged and logged at warning under
    /// <see cref="LoggerCategory"/>; one the verifier finds invalid otherwise is refused and logged at
    /// information. Either way authentication fails and the request gets 401 with JwtBearer's own
    /// <c>WWW-Authenticate</c> challenge.
    /// </summary>
    /// <remarks>
    /// Chains <see cref="JwtBearerEvents.OnTokenValidated"/>: the handler already set runs after the check, and
    /// only for tokens that pass it, so application code never sees a forged principal. Call this after setting
    /// <see cref="JwtBearerOptions.Events"/>: replacing the events object afterwards drops the check. The
    /// verifier's policy must hold every key JwtBearer trusts, and its settings should be as strict as
    /// JwtBearer's: a token the verifier cannot verify (unknown key, other audience) is refused, not let
    /// through.
    /// </remarks>
    /// <param name="options">The JwtBearer options of one scheme.</param>
    /// <param name="verifier">The verifier holding the keys and their scopes; thread-safe, shared by every
    /// request.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/> is set:
    /// the events would then come from dependency injection, and the check set here would never run.</exception>
    public static JwtBearerOptions EnforceKeyScope(this JwtBearerOptions options, TokenVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return options.EnforceKeyScope(() => verifier);
    }

    /// <summary>
    /// As <see cref="EnforceKeyScope(JwtBearerOptions, TokenVerifier)"/>, with the verifier of a
    /// <see cref="RefreshingVerifier"/>, which reloads its policy (and so follows key rotation) in the background.
    /// </summary>
    /// <param name="options">The JwtBearer options of one scheme.</param>
    /// <param name="verifier">The refreshing verifier; each request uses its current policy.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static JwtBearerOptions EnforceKeyScope(this JwtBearerOptions options, RefreshingVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return options.EnforceKeyScope(() => verifier.Current);
    }

    private static JwtBearerOptions EnforceKeyScope(this JwtBearerOptions options, Func<TokenVerifier> verifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EventsType is not null)
        {
            throw new InvalidOperationException($"JwtBearerOptions.EventsType is set ({options.EventsType}): JwtBearer would take its events from dependency injection and never run the key-scope check. Call EnforceKeyScope on options whose events are options.Events.");
        }

        JwtBearerEvents events = options.Events ??= new JwtBearerEvents();
        Func<TokenValidatedContext, Task> next = events.OnTokenValidated;
        events.OnTokenValidated = context => InScope(context, verifier()) ? next(context) : Task.CompletedTask;
        return options;
    }

    /// <summary>Whether the token JwtBearer accepted is valid by the verifier; if not, the request is failed.</summary>
    private static bool InScope(TokenValidatedContext context, TokenVerifier verifier)
    {
        ILogger logger = Logger(context.HttpContext);
        if (RawToken(context.SecurityToken) is not { } token)
        {
            string type = context.SecurityToken?.GetType().Name ?? "missing token";
            KeyScopeLog.Unreadable(logger, type);
            context.Fail($"The key scope of the token cannot be checked: JwtBearer handed over a {type}, not a compact JWT.");
            return false;
        }

        TokenVerdict verdict = verifier.Verify(token);
        if (verdict.Kind == VerdictKind.Valid)
        {
            return true;
        }

        TokenDetails? details = verdict.Details;
        if (verdict.Kind == VerdictKind.Forged)
        {
            KeyScopeLog.Forged(logger, verdict.Reason, details?.KeyId, details?.KeyOwner, details?.Issuer, details?.Tenant, verdict.Message);
        }
        else
        {
            KeyScopeLog.Invalid(logger, verdict.Reason, details?.KeyId, details?.Issuer, details?.Tenant, verdict.Message);
        }

        context.Fail($"Key scope: {verdict.Kind} ({verdict.Reason}): {verdict.Message}");
        return false;
    }

    /// <summary>The compact JWS JwtBearer validated: the inner token of an encrypted one.</summary>
    private static string? RawToken(SecurityToken? token) => token switch
    {
        JsonWebToken jwt => (jwt.InnerToken ?? jwt).EncodedToken,
        JwtSecurityToken jwt => (jwt.InnerToken ?? jwt).RawData,
        _ => null,
    };

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
}
