using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Keys;

namespace Forgewatch.Tokens.Tests;

/// <summary>Keys, JWKs and signed tokens for tests: what an issuer (or a forger holding its key) would make.</summary>
internal static class TestTokens
{
    public const string ConsumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
    public const string VictimTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string TenantTemplate = "https://login.microsoftonline.com/{tenantid}/v2.0";
    public static readonly string ConsumerIssuer = $"https://login.microsoftonline.com/{ConsumerTenant}/v2.0";
    public static readonly string VictimIssuer = $"https://login.microsoftonline.com/{VictimTenant}/v2.0";
    public static readonly DateTimeOffset Now = new(2023, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<RSA> SharedRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> OtherRsa = new(() => RSA.Create(2048));

    public static RSA Rsa => SharedRsa.Value;

    public static RSA Rsa2 => OtherRsa.Value;

    public static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static Dictionary<string, object?> RsaJwk(RSA rsa, string kid, string? alg = null, string? issuer = null)
    {
        RSAParameters p = rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object?> { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!) };
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        if (issuer is not null)
        {
            jwk["issuer"] = issuer;
        }

        return jwk;
    }

    public static Dictionary<string, object?> EcJwk(ECDsa ec, string kid)
    {
        ECParameters p = ec.ExportParameters(false);
        return new() { ["kty"] = "EC", ["kid"] = kid, ["crv"] = "P-256", ["x"] = Base64Url(p.Q.X!), ["y"] = Base64Url(p.Q.Y!) };
    }

    public static Dictionary<string, object?> OctJwk(byte[] secret, string kid, string alg = "HS256") =>
        new() { ["kty"] = "oct", ["kid"] = kid, ["alg"] = alg, ["k"] = Base64Url(secret) };

    public static KeySet Set(string source, params Dictionary<string, object?>[] jwks) =>
        JsonWebKeyReader.ReadSet(JsonSerializer.SerializeToUtf8Bytes(new { keys = jwks }), source);

    public static Dictionary<string, object?> ClaimsOf(string issuer, string? tenant, string audience = "api://mail", DateTimeOffset? issued = null, TimeSpan? lifetime = null)
    {
        DateTimeOffset iat = issued ?? Now.AddMinutes(-5);
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = iat.ToUnixTimeSeconds(),
            ["exp"] = (iat + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
            ["sub"] = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
            ["azp"] = "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        };
        if (tenant is not null)
        {
            claims["tid"] = tenant;
        }

        return claims;
    }

    public static string SignRsa(RSA rsa, string kid, object claims, string alg = "RS256", object? header = null)
    {
        string input = Input(header ?? new Dictionary<string, object?> { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" }, claims);
        HashAlgorithmName hash = alg.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : alg.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        RSASignaturePadding padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return input + "." + Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(input), hash, padding));
    }

    public static string SignEc(ECDsa ec, string kid, object claims) =>
        Signed(new Dictionary<string, object?> { ["alg"] = "ES256", ["kid"] = kid, ["typ"] = "JWT" }, claims, input => ec.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static string SignHmac(byte[] secret, string kid, object claims, string alg = "HS256") =>
        Signed(new Dictionary<string, object?> { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" }, claims, input => HMACSHA256.HashData(secret, input));

    public static string Signed(object header, object claims, Func<byte[], byte[]> sign)
    {
        string input = Input(header, claims);
        return input + "." + Base64Url(sign(Encoding.ASCII.GetBytes(input)));
    }

    private static string Input(object header, object claims) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
}
