using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Forgewatch.EndToEnd.Token;

/// <summary>
/// Keys, a JWK Set file, a policy file and signed tokens for the <c>forgewatch token</c> tests: an RSA key of
/// the consumer (MSA) issuer and an EC key of the organizations' issuer, as the policy binds them. Made
/// once per test class, in a temporary folder.
/// </summary>
public sealed class TokenFixture : IDisposable
{
    public const string ConsumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
    public const string CustomerTenant = "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21";
    public const string ConsumerKid = "consumer-rsa";
    public const string OrganizationsKid = "org-ec";
    public const string Audience = "api://mail";
    public static readonly string ConsumerIssuer = $"https://login.microsoftonline.com/{ConsumerTenant}/v2.0";
    public static readonly string CustomerIssuer = $"https://login.microsoftonline.com/{CustomerTenant}/v2.0";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TokenFixture()
    {
        Folder = Directory.CreateTempSubdirectory("fw-e2e-token").FullName;
        RSAParameters rsa = _rsa.ExportParameters(false);
        ECParameters ec = _ec.ExportParameters(false);
        var keys = new
        {
            keys = new object[]
            {
                new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = ConsumerKid, ["n"] = B64(rsa.Modulus!), ["e"] = B64(rsa.Exponent!) },
                new Dictionary<string, string> { ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256", ["kid"] = OrganizationsKid, ["x"] = B64(ec.Q.X!), ["y"] = B64(ec.Q.Y!) },
            },
        };
        JwksFile = Path.Combine(Folder, "keys.json");
        File.WriteAllBytes(JwksFile, JsonSerializer.SerializeToUtf8Bytes(keys));
        PolicyFile = Path.Combine(Folder, "policy.json");
        File.WriteAllText(PolicyFile, $$"""
            {
              "$comment": "forgewatch token end-to-end tests",
              "keySets": [ { "file": "keys.json" } ],
              "keys": [
                { "kid": "{{ConsumerKid}}", "owner": "Microsoft consumer accounts (MSA)", "issuers": [ "{{ConsumerIssuer}}" ] },
                { "kid": "{{OrganizationsKid}}", "owner": "Entra ID organizations", "issuers": [ "https://login.microsoftonline.com/{tenantid}/v2.0" ] }
              ]
            }
            """);
    }

    /// <summary>The temporary folder holding keys.json and policy.json.</summary>
    public string Folder { get; }

    public string JwksFile { get; }

    public string PolicyFile { get; }

    /// <summary>A token of the organizations' key for the customer tenant, issued 5 minutes ago for an hour.</summary>
    public string ValidToken() => SignEc(Claims(CustomerIssuer, CustomerTenant));

    /// <summary>The consumer key signing for a customer tenant: the Storm-0558 forgery.</summary>
    public string ForgedToken() => SignRsa(Claims(CustomerIssuer, CustomerTenant));

    /// <summary>A valid token with its last signature character changed.</summary>
    public string TamperedToken()
    {
        string token = SignRsa(Claims(ConsumerIssuer, ConsumerTenant));
        return token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
    }

    public static Dictionary<string, object> Claims(string issuer, string tenant, DateTimeOffset? issued = null, string subject = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ")
    {
        DateTimeOffset iat = issued ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        return new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["tid"] = tenant,
            ["aud"] = Audience,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = iat.ToUnixTimeSeconds(),
            ["exp"] = iat.AddHours(1).ToUnixTimeSeconds(),
            ["sub"] = subject,
        };
    }

    public string SignRsa(Dictionary<string, object> claims) =>
        Sign("RS256", ConsumerKid, claims, input => _rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public string SignEc(Dictionary<string, object> claims) =>
        Sign("ES256", OrganizationsKid, claims, input => _ec.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Sign(string alg, string kid, Dictionary<string, object> claims, Func<byte[], byte[]> sign)
    {
        string input = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" }))
            + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

