using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Tests.Conformance;

/// <summary>
/// json_web_signature_test.json: every test's verdict from <c>TokenVerifier.VerifySignature</c> (the JWS layer:
/// these payloads are bytes, not JWTs) agrees with its label, except the tests listed in
/// <see cref="WycheproofQuirks"/>, whose labels this verifier disagrees with on purpose. Each vector also goes
/// through keys held by .NET's portable classes, which must give the same verdict as the direct OpenSSL path.
/// </summary>
public class WycheproofJwsTests
{
    public static TheoryData<int> Vectors => Wycheproof.TcIds(Wycheproof.JwsFile, WycheproofQuirks.TcIds(Wycheproof.JwsFile));

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VerifySignature_JwsVector_AgreesWithLabel(int tcId)
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwsFile, tcId);

        JwsOutcome outcome = JwsRunner.Run(vector);
        JwsOutcome portable = JwsRunner.Run(vector, portable: true);

        Assert.True(JwsRunner.Disagreement(vector, outcome) is null, JwsRunner.Disagreement(vector, outcome));
        Assert.True((outcome.Verdict.Kind, outcome.Verdict.Reason) == (portable.Verdict.Kind, portable.Verdict.Reason),
            $"{vector}: the keys' two signature paths differ: {outcome} against .NET's {portable}");
        if (outcome.Verdict.Kind == VerdictKind.Valid)
        {
            // The payload handed back is the one the signature covers, decoded.
            string token = JwsRunner.Token(vector);
            string encoded = token.Split('.')[1];
            Assert.Equal(Base64Url.Decode(System.Text.Encoding.ASCII.GetBytes(encoded)), outcome.Payload);
        }
    }

    [Fact]
    public void VerifySignature_JsonSerialization_RefusedAsNotCompact()
    {
        WycheproofVector[] json = [.. Wycheproof.Load(Wycheproof.JwsFile).Values.Where(v => v.Flags.Contains("JsonSerialization"))];
        Assert.NotEmpty(json);

        foreach (WycheproofVector vector in json)
        {
            JwsOutcome outcome = JwsRunner.Run(vector);

            // JWS JSON serialization (RFC 7515, section 7.2) is not read at all, so nothing in its unprotected
            // headers can be believed: the text is refused as a compact JWS before any key is looked at.
            Assert.True(outcome.Verdict.Kind == VerdictKind.Invalid && outcome.Verdict.Reason == Reasons.NotCompactJws, $"{vector}: {outcome}");
        }
    }

    /// <summary>The attacks the vectors name are refused for the attack itself, not by accident further on
    /// (an empty signature, an unknown key).</summary>
    [Theory]
    [InlineData(16, Reasons.AlgorithmNone)]  // rejectsNoneAlgorithmAndMissingSignature
    [InlineData(341, Reasons.AlgorithmNone)]  // algIsNone
    [InlineData(342, Reasons.AlgorithmNone)]  // algIsNone, "NONE"
    [InlineData(343, Reasons.AlgorithmNone)]  // algIsNone with a kid
    [InlineData(344, Reasons.AlgorithmNone)]  // algIsNone naming the PS512 key
    [InlineData(31, Reasons.AlgorithmMismatch)]  // HS256 keyed with the EC public key's bytes
    [InlineData(32, Reasons.EmbeddedKey)]  // attacker's own jwk in the header
    [InlineData(332, Reasons.AlgorithmMismatch)]  // RS256 against a PS512 key
    [InlineData(334, Reasons.AlgorithmMismatch)]  // RS384 against a PS512 key
    [InlineData(336, Reasons.AlgorithmMismatch)]  // RS512 against a PS512 key
    [InlineData(338, Reasons.AlgorithmMismatch)]  // PS256 against a PS512 key
    [InlineData(340, Reasons.AlgorithmMismatch)]  // PS384 against a PS512 key
    [InlineData(353, Reasons.KeyRefused)]  // RSA key with "use": "enc"
    [InlineData(354, Reasons.KeyRefused)]  // EC key with "use": "enc"
    [InlineData(355, Reasons.KeyRefused)]  // RSA key with "key_ops": ["encrypt"]
    [InlineData(356, Reasons.KeyRefused)]  // EC key with "key_ops": ["encrypt"]
    [InlineData(360, Reasons.BadBase64Url)]  // spaces in the MAC
    [InlineData(365, Reasons.BadBase64Url)]  // spaces in the header
    [InlineData(368, Reasons.BadBase64Url)]  // spaces in the payload
    [InlineData(374, Reasons.BadBase64Url)]  // stray bits in the payload's last character
    [InlineData(375, Reasons.BadBase64Url)]  // MAC over a non-canonical payload encoding
    [InlineData(386, Reasons.BadSignature)]  // ES256 r = 0, s = 0
    [InlineData(401, Reasons.BadSignature)]  // ES256 r = n, s = n
    public void VerifySignature_AttackVector_RefusedForTheAttack(int tcId, string reason)
    {
        WycheproofVector vector = Wycheproof.Vector(Wycheproof.JwsFile, tcId);
        Assert.Equal(WycheproofVector.Invalid, vector.Result);

        JwsOutcome outcome = JwsRunner.Run(vector);

        Assert.True(outcome.Verdict.Kind == VerdictKind.Invalid && outcome.Verdict.Reason == reason, $"{vector}: expected {reason}, got {outcome}");
    }
}
