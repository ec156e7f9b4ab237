namespace Forgewatch.Simulator.Records;

/// <summary>What an Entra ID sign-in record says (a Graph <c>signIn</c> object).</summary>
internal sealed record SignIn
{
    public required DateTime Time { get; init; }

    public required Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string UserDisplayName { get; init; }

    public required string Upn { get; init; }

    public required string UserId { get; init; }

    public required string AppId { get; init; }

    public required string AppDisplayName { get; init; }

    public required string IpAddress { get; init; }

    public required string ClientAppUsed { get; init; }

    public required string UserAgent { get; init; }

    public required Guid CorrelationId { get; init; }

    public required string SessionId { get; init; }

    public required string TokenId { get; init; }

    public required bool Interactive { get; init; }

    /// <summary>An application signing in as itself (client credentials): no user, <c>servicePrincipal</c>
    /// sign-in, the application's service principal in <see cref="UserId"/>.</summary>
    public bool ServicePrincipal { get; init; }

    /// <summary>0 for success; e.g. 50126 (wrong password) for a failure.</summary>
    public int ErrorCode { get; init; }

    public required string DeviceId { get; init; }

    public required string DeviceName { get; init; }

    public required string OperatingSystem { get; init; }

    public required string Browser { get; init; }

    public required string City { get; init; }

    public required string CountryOrRegion { get; init; }

    /// <summary>An application signing in as itself with client credentials (a service principal
    /// sign-in): no user, no session, no device. Draws the record's id, then its correlation id.</summary>
    public static SignIn AsApplication(Randomness.SimRandom random, string tenantId, string appId, string servicePrincipalId, string name, DateTime time, string address, string token, string city, string country) => new()
    {
        Time = time,
        Id = random.NextGuid(),
        TenantId = tenantId,
        UserDisplayName = name,
        Upn = "",
        UserId = servicePrincipalId,
        AppId = appId,
        AppDisplayName = name,
        IpAddress = address,
        ClientAppUsed = "",
        UserAgent = "",
        CorrelationId = random.NextGuid(),
        SessionId = "",
        TokenId = token,
        Interactive = false,
        ServicePrincipal = true,
        DeviceId = "",
        DeviceName = "",
        OperatingSystem = "",
        Browser = "",
        City = city,
        CountryOrRegion = country,
    };
}
