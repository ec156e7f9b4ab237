using System.Text.Json.Nodes;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Tests.Conformance;

/// <summary>
/// One Wycheproof label this verifier disagrees with, and why. <see cref="Kind"/> and <see cref="Reason"/> are
/// our verdict (<see cref="KeyReason"/> the refused key's reason, when the verdict is <c>key_refused</c>).
/// <see cref="Variant"/> changes the one thing the disagreement is about (the key's <c>alg</c>, a character,
/// padding) and must come out as <see cref="VariantKind"/>: this shows that the verdict turns on that thing
/// alone, and not on a broken signature or key.
/// </summary>
internal sealed record WycheproofQuirk(
    string File,
    int TcId,
    string Label,
    VerdictKind Kind,
    string Reason,
    string? KeyReason,
    string Why,
    Func<string, string, (string Key, string Token)> Variant,
    VerdictKind VariantKind,
    string VariantReason)
{
    public override string ToString() => $"{File} tc{TcId}";
}

/// <summary>The Wycheproof tests whose labels this verifier disagrees with on purpose; the label-agreement
/// theories leave out exactly these, and <see cref="WycheproofQuirksTests"/> checks each.</summary>
internal static class WycheproofQuirks
{
    private const string Figure20 =
        "RFC 7520 figure 20 is a PS384 signature; Wycheproof gave its key \"alg\": \"PS256\" (to follow its own rule that keys name their algorithm) but kept the PS384 token and the valid label. " +
        "The algorithm belongs to the key and a token never chooses another (RFC 7517 section 4.4, RFC 8725 section 3.1): a PS256 key does not verify PS384.";

    private const string Figure27 =
        "RFC 7520 figure 27 is an ES512 signature on P-521; Wycheproof gave its key \"alg\": \"ES521\", which is no registered JWS algorithm (RFC 7518 section 3.1 names ES512). " +
        "A key whose \"alg\" is unknown is refused when read, so no token verifies under it.";

    private const string QuestionMark =
        "Canonical base64url only (RFC 7515 section 2; RFC 4648 section 3.3 says to reject characters outside the alphabet): a '?' is refused, never skipped. " +
        "Decoders that skip it make two texts mean one token, which is how a token gets past one check as one thing and another as something else.";

    private const string SameAsValid =
        "Byte for byte the token of tc357 (\"ValidMac\", labelled valid): canonical compact JWS, correct HS256 MAC, no '=' anywhere. One token cannot be both; " +
        "the padding the comment names is missing from the vector (reported upstream: C2SP/wycheproof issue 236). We follow tc357, and refuse the padded form the comment describes.";

    public static readonly WycheproofQuirk[] All =
    [
        new(Wycheproof.JwsFile, 346, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.AlgorithmMismatch, null, Figure20,
            (key, token) => (WithAlg(key, "PS384"), token), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 350, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.AlgorithmMismatch, null, Figure20 + " (Same figure, key with \"key_ops\": [\"verify\"].)",
            (key, token) => (WithAlg(key, "PS384"), token), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 347, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.KeyRefused, KeyReasons.BadAlgorithm, Figure27,
            (key, token) => (WithAlg(key, "ES512"), token), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 351, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.KeyRefused, KeyReasons.BadAlgorithm, Figure27 + " (Same figure, key with \"key_ops\": [\"verify\"].)",
            (key, token) => (WithAlg(key, "ES512"), token), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 372, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.BadBase64Url, null, "A '?' inside the header. " + QuestionMark,
            (key, token) => (key, token.Replace("?", "", StringComparison.Ordinal)), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 373, WycheproofVector.Valid, VerdictKind.Invalid, Reasons.BadBase64Url, null, "A '?' inside the payload. " + QuestionMark,
            (key, token) => (key, token.Replace("?", "", StringComparison.Ordinal)), VerdictKind.Valid, Reasons.Valid),
        new(Wycheproof.JwsFile, 367, WycheproofVector.Invalid, VerdictKind.Valid, Reasons.Valid, null, "\"invalidBase64Padding\". " + SameAsValid,
            (key, token) => (key, token + "="), VerdictKind.Invalid, Reasons.BadBase64Url),
        new(Wycheproof.JwsFile, 370, WycheproofVector.Invalid, VerdictKind.Valid, Reasons.Valid, null, "\"invalidBase64PaddingInPayload\". " + SameAsValid,
            (key, token) => (key, token.Replace(".VGVzdA.", ".VGVzdA==.", StringComparison.Ordinal)), VerdictKind.Invalid, Reasons.BadBase64Url),
    ];

    public static IEnumerable<int> TcIds(string file) => All.Where(q => q.File == file).Select(q => q.TcId);

    private static string WithAlg(string key, string alg)
    {
        JsonNode jwk = JsonNode.Parse(key)!;
        jwk["alg"] = alg;
        return jwk.ToJsonString();
    }
}

public class WycheproofQuirksTests
{
    /// <summary>Each Wycheproof label we disagree with, with its tcId and the reason (<see cref="WycheproofQuirks"/>):
    /// the label is still what we disagree with, our verdict is the one we mean, and changing only the thing the
    /// disagreement is about gives the other verdict.</summary>
    [Fact]
    public void Quirks_LabelsWeDisagreeWith_VerdictAsReasoned()
    {
        var problems = new List<string>();
        foreach (WycheproofQuirk quirk in WycheproofQuirks.All)
        {
            WycheproofVector vector = Wycheproof.Vector(quirk.File, quirk.TcId);
            if (vector.Result != quirk.Label)
            {
                problems.Add($"{quirk}: Wycheproof now labels it {vector.Result}, not {quirk.Label}; the quirk may be gone: {quirk.Why}");
                continue;
            }

            JwsOutcome outcome = JwsRunner.Run(vector);
            bool keyReasonHolds = quirk.KeyReason is null || outcome.RefusedKeys.Any(k => k.Reason == quirk.KeyReason);
            if (outcome.Verdict.Kind != quirk.Kind || outcome.Verdict.Reason != quirk.Reason || !keyReasonHolds)
            {
                problems.Add($"{quirk} \"{vector.Comment}\": expected {quirk.Kind} ({quirk.Reason}{(quirk.KeyReason is null ? "" : ", key " + quirk.KeyReason)}), got {outcome}. Why: {quirk.Why}");
            }

            (string key, string token) = quirk.Variant(JwsRunner.GroupKey(vector).GetRawText(), JwsRunner.Token(vector));
            JwsOutcome variant = JwsRunner.Run(key, token, $"tc{quirk.TcId} variant");
            if (variant.Verdict.Kind != quirk.VariantKind || variant.Verdict.Reason != quirk.VariantReason)
            {
                problems.Add($"{quirk} variant: expected {quirk.VariantKind} ({quirk.VariantReason}), got {variant}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>tc367 and tc370 are the same token as tc357, which is labelled valid; our verdicts on the three
    /// are the same too.</summary>
    [Fact]
    public void Quirks_ContradictoryLabels_SameTokenSameVerdict()
    {
        WycheproofVector valid = Wycheproof.Vector(Wycheproof.JwsFile, 357);
        Assert.Equal(WycheproofVector.Valid, valid.Result);

        foreach (int tcId in new[] { 367, 370 })
        {
            WycheproofVector twin = Wycheproof.Vector(Wycheproof.JwsFile, tcId);
            Assert.Equal(JwsRunner.Token(valid), JwsRunner.Token(twin));
            Assert.Equal(JwsRunner.GroupKey(valid).GetRawText(), JwsRunner.GroupKey(twin).GetRawText());
            Assert.Equal(JwsRunner.Run(valid).Verdict, JwsRunner.Run(twin).Verdict);
        }
    }
}
