namespace Forgewatch.Server.Notifications;

/// <summary>
/// The mail server admins' notifications go through (<c>Forgewatch:Smtp</c>, docs/serve.md). Email is on when
/// <see cref="Host"/> is set. With <see cref="CertificateFile"/>, a server certificate equal to the one in
/// that PEM file is accepted even if no public authority signed it (a private relay); any other must
/// validate as usual.
/// </summary>
public sealed record SmtpOptions
{
    public string? Host { get; init; }

    public int Port { get; init; } = 587;

    /// <summary><c>StartTls</c> (default: the connection must be upgraded), <c>Tls</c> (TLS from the first
    /// byte, usually port 465) or <c>None</c> (plain text; only for a relay on the same host).</summary>
    public string Security { get; init; } = "StartTls";

    /// <summary>User name for SMTP authentication; none when empty.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>The sender address, e.g. <c>forgewatch@provider.example</c>.</summary>
    public string From { get; init; } = "forgewatch@localhost";

    /// <summary>A PEM certificate to accept as the server's own.</summary>
    public string? CertificateFile { get; init; }

    public int TimeoutSeconds { get; init; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The problem with these settings, or null.</summary>
    public string? Problem() =>
        !Enabled ? null
        : Port is < 1 or > 65535 ? "Forgewatch:Smtp:Port must be 1-65535."
        : Security is not ("StartTls" or "Tls" or "None") ? "Forgewatch:Smtp:Security must be StartTls, Tls or None."
        : TenantsRulesCheck(From) is { } p ? $"Forgewatch:Smtp:From: {p}"
        : CertificateFile is not null && CertificateProblem(CertificateFile) is { } certificate ? $"Forgewatch:Smtp:CertificateFile: {certificate}"
        : TimeoutSeconds < 1 ? "Forgewatch:Smtp:TimeoutSeconds must be at least 1."
        : null;

    /// <summary>The SHA-1 hash (as <c>GetCertHash</c> gives it) of the first certificate in a PEM file.</summary>
    public static byte[] LoadCertificateHash(string pemFile)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));
        return certificate.GetCertHash();
    }

    private static string? CertificateProblem(string file)
    {
        try
        {
            LoadCertificateHash(file);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return $"{file} is not a readable PEM certificate ({e.Message})";
        }
    }

    private static string? TenantsRulesCheck(string from) => Tenants.TenantRules.CheckAdmin(from);
}
