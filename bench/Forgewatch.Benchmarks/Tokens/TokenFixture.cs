using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using B64 = System.Buffers.Text.Base64Url;

namespace Forgewatch.Benchmarks.Tokens;

/// <summary>The signature algorithm family a token benchmark class measures.</summary>
public enum TokenAlgorithm
{
    RS256,
    ES256,
    HS256,
}

/// <summary>
/// <see cref="Count"/> distinct Entra-like v2 access tokens (20 claims, one tenant and audience, distinct
/// users, session and token ids; issued five minutes ago, expiring in a year) signed by one key, with
/// everything each contender needs to check them, all made before timing: the tokens' text for the
/// verifiers; their signing inputs (ASCII <c>header.payload</c>) and decoded signatures for the bare
/// primitive; a public-only copy of the key for it; a <see cref="TokenVerifier"/> over a policy read from a
/// JWKS of the public key, bound to the Entra issuer template by its set scope; and the parameters of a
/// <see cref="JsonWebTokenHandler"/> with the same issuer, audience and lifetime checks.
/// </summary>
public sealed class TokenFixture : IDisposable
{
    /// <summary>Tokens per benchmark invocation (its <c>OperationsPerInvoke</c>).</summary>
    public const int Count = 64;

    public const string IssuerTemplateText = "https://login.microsoftonline.com/{tenantid}/v2.0";

    private const int Seed = 20240712;

    private TokenFixture(TokenAlgorithm algorithm) => Algorithm = algorithm;

    public TokenAlgorithm Algorithm { get; }

    /// <summary>The compact tokens, as a verifier receives them.</summary>
    public string[] Tokens { get; } = new string[Count];

    /// <summary>The ASCII bytes of each token's <c>header.payload</c>.</summary>
    public byte[][] SigningInputs { get; } = new byte[Count][];

    /// <summary>Each token's decoded signature.</summary>
    public byte[][] Signatures { get; } = new byte[Count][];

    public string Tenant { get; private set; } = "";

    public string Audience { get; private set; } = "";

    public string Issuer => IssuerTemplateText.Replace("{tenantid}", Tenant, StringComparison.Ordinal);

    public string KeyId { get; private set; } = "";

    /// <summary>The JWKS (public key, or the secret for HS256) the policy is read from.</summary>
    public string Jwks { get; private set; } = "";

    /// <summary>The public key alone (RS256), as the bare baseline uses it.</summary>
    public RSA? PublicRsa { get; private set; }

    /// <summary>The public key alone (ES256), as the bare baseline uses it.</summary>
    public ECDsa? PublicEcdsa { get; private set; }

    /// <summary>The shared secret (HS256).</summary>
    public byte[]? Secret { get; private set; }

    public TokenVerifier Verifier { get; private set; } = null!;

    /// <summary>The one key of the verifier's policy, as the verifier checks signatures with it.</summary>
    public SigningKey Key => _keySet!.Keys[0];

    /// <summary>The key set the policy was made from; the fixture disposes it.</summary>
    private KeySet? _keySet;

    public JsonWebTokenHandler Handler { get; } = new();

    public TokenValidationParameters HandlerParameters { get; private set; } = null!;

    /// <summary>Makes the tokens and checks that every contender accepts every one of them (throws if not), so
    /// that no benchmark ever times a refusal.</summary>
    public static TokenFixture Create(TokenAlgorithm algorithm)
    {
        var fixture = new TokenFixture(algorithm);
        try
        {
            fixture.Build();
            fixture.CheckAllValid();
            return fixture;
        }
        catch
        {
            fixture.Dispose();
            throw;
        }
    }

    private void Build()
    {
        var random = new Random(Seed + (int)Algorithm);
        Tenant = Guid(random);
        Audience = Guid(random);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long issued = now.AddMinutes(-5).ToUnixTimeSeconds();
        long expires = now.AddYears(1).ToUnixTimeSeconds();

        using RSA? rsa = Algorithm == TokenAlgorithm.RS256 ? RSA.Create(2048) : null;
        using ECDsa? ecdsa = Algorithm == TokenAlgorithm.ES256 ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        string header;
        SecurityKey handlerKey;
        switch (Algorithm)
        {
            case TokenAlgorithm.RS256:
            {
                // As Entra publishes its keys: an x5c certificate, its SHA-1 thumbprint as both x5t and kid.
                var request = new CertificateRequest("CN=accounts.accesscontrol.windows.net", rsa!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
                KeyId = B64.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA1));
                RSAParameters p = rsa!.ExportParameters(false);
                Jwks = $$"""{"keys":[{"kty":"RSA","use":"sig","kid":"{{KeyId}}","x5t":"{{KeyId}}","n":"{{B64.EncodeToString(p.Modulus)}}","e":"{{B64.EncodeToString(p.Exponent)}}","x5c":["{{Convert.ToBase64String(certificate.RawData)}}"],"cloud_instance_name":"microsoftonline.com"}]}""";
                header = $$"""{"typ":"JWT","alg":"RS256","x5t":"{{KeyId}}","kid":"{{KeyId}}"}""";
                PublicRsa = RSA.Create();
                PublicRsa.ImportParameters(p);
                var publicForHandler = RSA.Create();
                publicForHandler.ImportParameters(p);
                handlerKey = new RsaSecurityKey(publicForHandler) { KeyId = KeyId };
                break;
            }

            case TokenAlgorithm.ES256:
            {
                KeyId = RandomText(random, 27);
                ECParameters p = ecdsa!.ExportParameters(false);
                Jwks = $$"""{"keys":[{"kty":"EC","use":"sig","kid":"{{KeyId}}","crv":"P-256","x":"{{B64.EncodeToString(p.Q.X)}}","y":"{{B64.EncodeToString(p.Q.Y)}}"}]}""";
                header = $$"""{"typ":"JWT","alg":"ES256","kid":"{{KeyId}}"}""";
                PublicEcdsa = ECDsa.Create(p);
                handlerKey = new ECDsaSecurityKey(ECDsa.Create(p)) { KeyId = KeyId };
                break;
            }

            default:
            {
                KeyId = RandomText(random, 27);
                Secret = new byte[32];
                random.NextBytes(Secret);
                Jwks = $$"""{"keys":[{"kty":"oct","use":"sig","kid":"{{KeyId}}","alg":"HS256","k":"{{B64.EncodeToString(Secret)}}"}]}""";
                header = $$"""{"typ":"JWT","alg":"HS256","kid":"{{KeyId}}"}""";
                handlerKey = new SymmetricSecurityKey(Secret) { KeyId = KeyId };
                break;
            }
        }

        string encodedHeader = B64.EncodeToString(Encoding.UTF8.GetBytes(header));
        for (int i = 0; i < Count; i++)
        {
            string payload = Payload(random, i, issued, expires);
            string signingInput = encodedHeader + "." + B64.EncodeToString(Encoding.UTF8.GetBytes(payload));
            byte[] input = Encoding.ASCII.GetBytes(signingInput);
            byte[] signature = Algorithm switch
            {
                TokenAlgorithm.RS256 => rsa!.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                TokenAlgorithm.ES256 => ecdsa!.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => HMACSHA256.HashData(Secret!, input),
            };
            SigningInputs[i] = input;
            Signatures[i] = signature;
            Tokens[i] = signingInput + "." + B64.EncodeToString(signature);
        }

        KeySet set = _keySet = JsonWebKeyReader.ReadSet(Encoding.UTF8.GetBytes(Jwks), $"benchmark {Algorithm} JWKS");
        if (set.Keys.Count != 1)
        {
            string refused = string.Join("; ", set.Refused.Select(r => $"{r.Reason}: {r.Message}"));
            throw new InvalidOperationException($"The benchmark's {Algorithm} JWKS did not give one key: {refused}");
        }

        var scope = new KeyScope { Owner = "Microsoft Entra ID (benchmark key)", Issuers = [new IssuerTemplate(IssuerTemplateText)] };
        KeyScopePolicy policy = KeyScopePolicy.Create([set], [scope], null, new VerifierSettings { Audiences = [Audience] });
        Verifier = new TokenVerifier(policy);
        HandlerParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            IssuerSigningKey = handlerKey,
        };
    }

    /// <summary>An Entra ID v2 access token's claims, in the order Entra writes them; the user, session and
    /// token ids differ from token to token.</summary>
    private string Payload(Random random, int index, long issued, long expires)
    {
        string[] names = ["Adele Vance", "Alex Wilber", "Diego Siciliani", "Isaiah Langer", "Johanna Lorenz", "Zoë Ångström", "Nestor Wilke", "Miriam Graham"];
        string name = names[index % names.Length];
        string user = name.Split(' ')[0].ToLowerInvariant().Replace('ë', 'e') + "." + index.ToString(CultureInfo.InvariantCulture);
        string aio = RandomText(random, 120, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "==";
        string rh = "1.AXkA" + RandomText(random, 50) + ".";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {"aud":"{{Audience}}","iss":"{{Issuer}}","iat":{{issued}},"nbf":{{issued}},"exp":{{expires}},"aio":"{{aio}}","azp":"{{Guid(random)}}","azpacr":"0","idtyp":"user","name":"{{name}}","oid":"{{Guid(random)}}","preferred_username":"{{user}}@contoso.onmicrosoft.com","rh":"{{rh}}","roles":["Reports.Read.All","Alerts.ReadWrite"],"scp":"access_as_user User.Read","sid":"{{Guid(random)}}","sub":"{{RandomText(random, 43)}}","tid":"{{Tenant}}","uti":"{{RandomText(random, 22)}}","ver":"2.0"}
            """);
    }

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static string RandomText(Random random, int length, string alphabet = Base64UrlAlphabet) =>
        string.Create(length, (random, alphabet), static (chars, state) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });

    private static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    /// <summary>Every contender must accept every token: a benchmark that timed refusals would compare
    /// nothing.</summary>
    private void CheckAllValid()
    {
        for (int i = 0; i < Count; i++)
        {
            TokenVerdict verdict = Verifier.Verify(Tokens[i]);
            if (verdict.Kind != VerdictKind.Valid)
            {
                throw new InvalidOperationException($"{Algorithm} token {i}: the verifier says {verdict.Kind} ({verdict.Reason}): {verdict.Message}");
            }

            if (!BareVerify(i))
            {
                throw new InvalidOperationException($"{Algorithm} token {i}: the bare primitive refuses its signature.");
            }

            TokenValidationResult result = Handler.ValidateTokenAsync(Tokens[i], HandlerParameters).GetAwaiter().GetResult();
            if (!result.IsValid)
            {
                throw new InvalidOperationException($"{Algorithm} token {i}: JsonWebTokenHandler refuses it: {result.Exception?.Message}");
            }
        }
    }

    private bool BareVerify(int i) => Algorithm switch
    {
        TokenAlgorithm.RS256 => PublicRsa!.VerifyData(SigningInputs[i].AsSpan(), Signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        TokenAlgorithm.ES256 => PublicEcdsa!.VerifyData(SigningInputs[i].AsSpan(), Signatures[i], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Secret!, SigningInputs[i]), Signatures[i]),
    };

    public void Dispose()
    {
        _keySet?.Dispose();
        PublicRsa?.Dispose();
        PublicEcdsa?.Dispose();
        switch (HandlerParameters?.IssuerSigningKey)
        {
            case RsaSecurityKey { Rsa: { } handlerRsa }:
                handlerRsa.Dispose();
                break;
            case ECDsaSecurityKey { ECDsa: { } handlerEcdsa }:
                handlerEcdsa.Dispose();
                break;
        }
    }
}
