namespace Forgewatch.Core.Events;

/// <summary>A sign-in: an Entra sign-in log entry, or a UAL <c>UserLoggedIn</c>/<c>UserLoginFailed</c>.</summary>
public sealed class SignInEvent : AuditEvent
{
    public SignInEvent(in EventHeader header)
        : base(header)
    {
    }

    public override EventKind Kind => EventKind.SignIn;

    /// <summary>True when the sign-in succeeded (error code 0, or UAL <c>UserLoggedIn</c>).</summary>
    public bool Succeeded { get; init; }

    /// <summary>Entra error code (<c>status.errorCode</c>); 0 on success.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>The user's directory object id (sign-in <c>userId</c>).</summary>
    public string? UserObjectId { get; init; }

    public string? AppDisplayName { get; init; }

    /// <summary>The resource the token was issued for (<c>resourceId</c>).</summary>
    public string? ResourceId { get; init; }

    public string? ResourceDisplayName { get; init; }

    /// <summary><c>clientAppUsed</c>: Browser, Mobile Apps and Desktop clients, Exchange ActiveSync...</summary>
    public string? ClientAppUsed { get; init; }

    public bool? IsInteractive { get; init; }

    /// <summary>Two-letter country or region, from <c>location.countryOrRegion</c>.</summary>
    public string? Country { get; init; }

    public string? City { get; init; }

    public string? OperatingSystem { get; init; }

    public string? Browser { get; init; }

    public string? DeviceId { get; init; }

    public string? RiskLevelDuringSignIn { get; init; }
}
