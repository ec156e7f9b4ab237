using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Keys;

public class JsonWebKeyReaderTests
{
    [Fact]
    public void ReadSet_KeyWithLoneSurrogateEscape_RefusedNotThrown()
    {
        KeySet set = JsonWebKeyReader.ReadSet(Encoding.UTF8.GetBytes("{\"keys\":[{\"kty\":\"oct\",\"alg\":\"HS256\",\"kid\":\"a\\ud800\",\"k\":\"AAAA\"}]}"), "test");

        Assert.Empty(set.Keys);
        Assert.Equal(KeyReasons.Malformed, Assert.Single(set.Refused).Reason);
    }

    [Fact]
    public void ReadSet_NeitherSetNorKey_FormatError()
    {
        Assert.Throws<FormatException>(() => JsonWebKeyReader.ReadSet(Encoding.UTF8.GetBytes("{\"foo\":1}"), "test"));
        Assert.Throws<FormatException>(() => JsonWebKeyReader.ReadSet(Encoding.UTF8.GetBytes("{\"keys\":1}"), "test"));
    }

    [Fact]
    public void Read_CertificateChain_KeyMustMatchAndTokensMustFallInsideItsValidity()
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Forgewatch test signer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var notBefore = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using X509Certificate2 certificate = request.CreateSelfSigned(notBefore, notBefore.AddYears(1));
        Dictionary<string, object?> jwk = RsaJwk(rsa, "cert-key");
        jwk["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) };
        jwk["x5t"] = Base64Url(certificate.GetCertHash(HashAlgorithmName.SHA1));
        Dictionary<string, object?> wrongThumbprint = new(jwk) { ["kid"] = "bad-x5t", ["x5t"] = Base64Url(new byte[20]) };
        Dictionary<string, object?> otherKey = RsaJwk(Rsa, "other-key");
        otherKey["x5c"] = jwk["x5c"];

        KeySet set = Set("certs", jwk, wrongThumbprint, otherKey);
        var verifier = new TokenVerifier(KeyScopePolicy.Create([set]));

        Assert.Equal("cert-key", Assert.Single(set.Keys).KeyId);
        Assert.Equal(notBefore.AddYears(1), set.Keys[0].Facts.CertificateNotAfter);
        Assert.All(set.Refused, r => Assert.Equal(KeyReasons.CertificateMismatch, r.Reason));
        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(rsa, "cert-key", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        TokenVerdict late = verifier.Verify(SignRsa(rsa, "cert-key", ClaimsOf(VictimIssuer, VictimTenant, issued: notBefore.AddYears(2))), notBefore.AddYears(2).AddMinutes(5));
        Assert.Equal((VerdictKind.Forged, Reasons.KeyOutOfValidity), (late.Kind, late.Reason));
    }

    [Theory]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", KeyReasons.Weak)]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"alg\":\"ES256\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", KeyReasons.BadAlgorithm)]
    [InlineData("{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", KeyReasons.BadAlgorithm)]
    [InlineData("{\"kty\":\"OKP\",\"kid\":\"k\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}", KeyReasons.UnsupportedType)]
    [InlineData("{\"kty\":\"EC\",\"kid\":\"k\",\"crv\":\"secp256k1\",\"x\":\"AAAA\",\"y\":\"AAAA\"}", KeyReasons.UnsupportedType)]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"../k\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", KeyReasons.Malformed)]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", KeyReasons.NotForSigning)]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"key_ops\":[\"sign\"],\"n\":\"AQAB\",\"e\":\"AQAB\"}", KeyReasons.NotForSigning)]
    [InlineData("{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"AQAB=\",\"e\":\"AQAB\"}", KeyReasons.Malformed)]
    public void Read_UnusableKey_RefusedWithReason(string jwk, string reason)
    {
        using JsonDocument document = JsonDocument.Parse(jwk);

        Assert.Null(JsonWebKeyReader.Read(document.RootElement, "test", out RefusedKey? refusal));
        Assert.Equal(reason, refusal!.Reason);
    }

    [Fact]
    public void Read_RsaExponentOneOrEven_Weak()
    {
        RSAParameters p = Rsa.ExportParameters(false);
        foreach (byte[] exponent in new[] { new byte[] { 1 }, new byte[] { 1, 0, 0 } })
        {
            using JsonDocument document = JsonDocument.Parse(JsonSerializer.Serialize(new { kty = "RSA", kid = "k", n = Base64Url(p.Modulus!), e = Base64Url(exponent) }));

            Assert.Null(JsonWebKeyReader.Read(document.RootElement, "test", out RefusedKey? refusal));
            Assert.Equal(KeyReasons.Weak, refusal!.Reason);
        }
    }
}
