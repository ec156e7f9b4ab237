using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verification;
using Microsoft.IdentityModel.Tokens;

namespace Forgewatch.Tokens.AspNetCore.Tests;

/// <summary>
/// Two signing keys in one published key set, as Microsoft's common endpoint publishes them: an organizational
/// key that may sign for any Entra tenant's issuer, and a consumer (MSA) key that may sign only for the
/// consumer tenant. JwtBearer trusts both for every issuer it accepts; the verifier knows which may sign what.
/// Tokens are signed here by hand, so the test depends on no token-issuing library.
/// </summary>
internal static class TestKeys
{
    public const string TenantKeyId = "tenant-key";
    public const string ConsumerKeyId = "consumer-key";
    public const string Audience = "api://mail";
    public const string VictimTenant = "3c1f8b2e-5d7a-4e96-8c0b-a2f4d6e8b9c1";
    public const string ConsumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
    public const string VictimIssuer = $"https://login.microsoftonline.com/{VictimTenant}/v2.0";
    public const string ConsumerIssuer = $"https://login.microsoftonline.com/{ConsumerTenant}/v2.0";

    public static readonly RSA TenantKey = RSA.Create(2048);
    public static readonly RSA ConsumerKey = RSA.Create(2048);

    /// <summary>What JwtBearer is told to trust: both keys, for any of its valid issuers.</summary>
    public static IReadOnlyList<SecurityKey> SecurityKeys { get; } =
    [
        new RsaSecurityKey(TenantKey.ExportParameters(false)) { KeyId = TenantKeyId },
        new RsaSecurityKey(ConsumerKey.ExportParameters(false)) { KeyId = ConsumerKeyId },
    ];

    /// <summary>The published key set with both keys, and one holding the tenant key alone. Read once: key sets
    /// stay their owner's, and these live as long as the test run.</summary>
    private static readonly KeySet Published = ReadSet((TenantKeyId, TenantKey), (ConsumerKeyId, ConsumerKey));
    private static readonly KeySet TenantOnly = ReadSet((TenantKeyId, TenantKey));

    /// <summary>A verifier over the published set, each key bound by a rule for its kid.</summary>
    public static TokenVerifier Verifier(bool withConsumerKey = true)
    {
        var rules = new Dictionary<string, KeyScope>
        {
            [TenantKeyId] = new() { Owner = "Microsoft Entra ID (organizations)", Issuers = [new IssuerTemplate("https://login.microsoftonline.com/{tenantid}/v2.0")] },
            [ConsumerKeyId] = new() { Owner = "Microsoft consumer accounts (MSA)", Issuers = [new IssuerTemplate(ConsumerIssuer)], Tenants = [ConsumerTenant] },
        };
        KeySet set = withConsumerKey ? Published : TenantOnly;
        return new TokenVerifier(KeyScopePolicy.Create([set], rules: rules, settings: new VerifierSettings { Audiences = [Audience] }));
    }

    /// <summary>An RS256 JWT signed by <paramref name="key"/>, claiming <paramref name="issuer"/> and
    /// <paramref name="tenant"/>, for <see cref="Audience"/>, valid for an hour.</summary>
    public static string Token(RSA key, string keyId, string issuer, string tenant, string subject = "user-1")
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = keyId, ["typ"] = "JWT" }));
        string payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["tid"] = tenant,
            ["aud"] = Audience,
            ["sub"] = subject,
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
        }));
        string signingInput = $"{header}.{payload}";
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Encode(signature)}";
    }

    private static KeySet ReadSet(params (string KeyId, RSA Key)[] keys) =>
        JsonWebKeyReader.ReadSet(JwkSet(keys), "https://login.microsoftonline.com/common/discovery/v2.0/keys");

    private static byte[] JwkSet(IEnumerable<(string KeyId, RSA Key)> keys) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["keys"] = keys.Select(k =>
        {
            RSAParameters parameters = k.Key.ExportParameters(false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = k.KeyId,
                ["n"] = Encode(parameters.Modulus!),
                ["e"] = Encode(parameters.Exponent!),
            };
        }).ToArray(),
    });

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
