using System.Security.Cryptography;
using System.Text.Json;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Keys;

public class EcCurveTests
{
    [Theory]
    [InlineData("P-256")]
    [InlineData("P-384")]
    [InlineData("P-521")]
    public void Order_IsTheCurvesSizeAndItsLargestSignatureValueIsRefused(string name)
    {
        EcCurve curve = EcCurve.Named(name)!;

        Assert.Equal((curve.Bits + 7) / 8, curve.Order.Length);
        Assert.NotEqual(0, curve.Order[0]);
    }

    [Theory]
    [InlineData("P-256", "ES256")]
    [InlineData("P-384", "ES384")]
    [InlineData("P-521", "ES512")]
    public void Verify_EveryCurveSignsAndVerifiesItsAlgorithmOnly(string name, string alg)
    {
        EcCurve curve = EcCurve.Named(name)!;
        using var ec = ECDsa.Create(curve.Curve);
        ECParameters p = ec.ExportParameters(false);
        var jwk = new Dictionary<string, object?> { ["kty"] = "EC", ["kid"] = "ec", ["crv"] = name, ["x"] = Base64Url(p.Q.X!), ["y"] = Base64Url(p.Q.Y!) };
        var verifier = new TokenVerifier(KeyScopePolicy.Create([JsonWebKeyReader.ReadSet(JsonSerializer.SerializeToUtf8Bytes(new { keys = new[] { jwk } }), "test")]));
        HashAlgorithmName hash = alg switch { "ES256" => HashAlgorithmName.SHA256, "ES384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        string token = Signed(new Dictionary<string, object?> { ["alg"] = alg, ["kid"] = "ec" }, ClaimsOf(VictimIssuer, VictimTenant), input => ec.SignData(input, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        string input = token[..token.LastIndexOf('.')];
        byte[] signature = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));
        byte[] orderAsS = [.. signature[..curve.Order.Length], .. curve.Order];

        Assert.Equal(2 * curve.Order.Length, signature.Length);
        Assert.Equal(VerdictKind.Valid, verifier.Verify(token, Now).Kind);
        Assert.Equal(Reasons.BadSignature, verifier.Verify($"{input}.{Base64Url(orderAsS)}", Now).Reason);
    }
}
