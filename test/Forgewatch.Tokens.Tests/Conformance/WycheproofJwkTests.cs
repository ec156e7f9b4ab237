using System.Text.Json;
using System.Text.Json.Nodes;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Tests.Conformance;

/// <summary>
/// json_web_key_test.json: the group's key set read by <c>JsonWebKeyReader.ReadSet</c>, a policy over it and
/// <c>TokenVerifier.VerifySignature</c>; every test's verdict agrees with its label, and the bad keys are
/// refused for their own fault.
/// </summary>
public class WycheproofJwkTests
{
    public static TheoryData<int> Vectors => Wycheproof.TcIds(Wycheproof.JwkFile, WycheproofQuirks.TcIds(Wycheproof.JwkFile));

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VerifySignature_JwkVector_AgreesWithLabel(int tcId)
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwkFile, tcId);

        JwsOutcome outcome = JwsRunner.Run(vector);

        Assert.True(JwsRunner.Disagreement(vector, outcome) is null, JwsRunner.Disagreement(vector, outcome));
    }

    /// <summary>The token names the bad key, and is refused because that key was refused when read, for the
    /// reason the vector is about.</summary>
    [Theory]
    [InlineData(1, KeyReasons.MixedKeySet)]  // HS256 secret in a set with an EC public key
    [InlineData(6, KeyReasons.NotForSigning)]  // "use": "enc" (and "alg": "RSA1_5")
    [InlineData(7, KeyReasons.Weak)]  // ROCA fingerprint
    [InlineData(8, KeyReasons.Weak)]  // 1024-bit RSA
    [InlineData(9, KeyReasons.Weak)]  // public exponent 1
    [InlineData(10, KeyReasons.Weak)]  // HS256 secret shorter than 32 bytes
    [InlineData(11, KeyReasons.Weak)]  // HS384 secret shorter than 48 bytes
    [InlineData(12, KeyReasons.Weak)]  // HS512 secret shorter than 64 bytes
    [InlineData(16, KeyReasons.Weak)]  // empty HS256 secret
    [InlineData(17, KeyReasons.Weak)]  // empty HS384 secret
    [InlineData(18, KeyReasons.Weak)]  // empty HS512 secret
    [InlineData(19, KeyReasons.BadAlgorithm)]  // "ES521" on a P-256 key
    [InlineData(20, KeyReasons.BadAlgorithm)]  // "ES224"
    [InlineData(21, KeyReasons.NotForSigning)]  // "use": "enc"
    [InlineData(22, KeyReasons.InvalidPoint)]  // point off the curve
    [InlineData(23, KeyReasons.BadAlgorithm)]  // P-256 point labelled P-384: ES256 does not fit P-384
    [InlineData(24, KeyReasons.BadAlgorithm)]  // EC point labelled RSA: ES256 is not an RSA algorithm
    [InlineData(25, KeyReasons.BadAlgorithm)]  // AES-GCM key
    [InlineData(26, KeyReasons.BadAlgorithm)]  // AES key wrap key
    public void VerifySignature_BadKeyVector_RefusedForTheKeysFault(int tcId, string keyReason)
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwkFile, tcId);
        Assert.Equal(WycheproofVector.Invalid, vector.Result);

        JwsOutcome outcome = JwsRunner.Run(vector);

        Assert.True(outcome.Verdict.Kind == VerdictKind.Invalid && outcome.Verdict.Reason == Reasons.KeyRefused, $"{vector}: expected {Reasons.KeyRefused}, got {outcome}");
        Assert.True(outcome.RefusedKeys.Any(k => k.Reason == keyReason), $"{vector}: expected a key refused as {keyReason}, got {outcome}");
    }

    [Fact]
    public void VerifySignature_DuplicateKidVector_Ambiguous()
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwkFile, 4);
        Assert.Contains("DuplicateKid", vector.Flags);

        JwsOutcome outcome = JwsRunner.Run(vector);

        Assert.True(outcome.Verdict.Kind == VerdictKind.Invalid && outcome.Verdict.Reason == Reasons.AmbiguousKey, $"{vector}: {outcome}");
    }

    /// <summary>In tc4 the second key under the shared kid has a non-canonical <c>k</c> (stray bits in its last
    /// character) and is refused as malformed, so the vector shows the ambiguity only between a usable and a
    /// refused key. Two usable keys under one kid are ambiguous too, even when one of them verifies the token.</summary>
    [Fact]
    public void VerifySignature_DuplicateKidBothKeysUsable_Ambiguous()
    {
        WycheproofVector valid = Wycheproof.Vector(Wycheproof.JwkFile, 2);  // jws_keyset: two usable HS256 keys, kid-aes-sign and kid-aes-sign-2
        Assert.Equal(WycheproofVector.Valid, valid.Result);
        JsonNode set = JsonNode.Parse(JwsRunner.GroupKey(valid).GetRawText())!;
        JsonArray keys = set["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        keys[1]!["kid"] = keys[0]!["kid"]!.GetValue<string>();

        JwsOutcome sameKid = JwsRunner.Run(set.ToJsonString(), JwsRunner.Token(valid), "tc2 group, both keys under one kid");

        Assert.Empty(sameKid.RefusedKeys);
        Assert.True(sameKid.Verdict.Kind == VerdictKind.Invalid && sameKid.Verdict.Reason == Reasons.AmbiguousKey, sameKid.ToString());
    }

    /// <summary>The RFC 7520 P-521 key (JWS tc347/351) with the registered name of its algorithm, ES512, in
    /// place of Wycheproof's "ES521": a valid P-521 point, 66-byte coordinates, taken for ES512. No vector
    /// holds a P-521 key that should load, so only this shows whether P-521 keys load at all.</summary>
    [Fact]
    public void Read_Rfc7520P521KeyWithRegisteredAlg_TakenAsEs512()
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwsFile, 347);
        JsonNode jwk = JsonNode.Parse(JwsRunner.GroupKey(vector).GetRawText())!;
        Assert.Equal("P-521", jwk["crv"]!.GetValue<string>());
        jwk["alg"] = "ES512";
        using JsonDocument document = JsonDocument.Parse(jwk.ToJsonString());

        using SigningKey? key = JsonWebKeyReader.Read(document.RootElement, "RFC 7520 P-521 key", out RefusedKey? refusal);

        Assert.True(key is not null, $"The P-521 key was refused: {refusal}");
        Assert.Equal(Forgewatch.Tokens.Jws.JwsAlgorithm.ES512, key.Algorithm);
        Assert.Equal(521, key.SizeBits);
    }
}
