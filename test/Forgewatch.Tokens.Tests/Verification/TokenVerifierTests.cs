using System.Security.Cryptography;
using System.Text;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Verification;

public class TokenVerifierTests
{
    private static readonly KeyScope TenantScope = new() { Owner = "Microsoft Entra ID (organizations)", Issuers = [new IssuerTemplate(TenantTemplate)] };
    private static readonly KeyScope ConsumerScope = new() { Owner = "Microsoft consumer accounts (MSA)", Issuers = [new IssuerTemplate(ConsumerIssuer)], Tenants = [ConsumerTenant] };

    /// <summary>An Entra-like policy: the tenant key signs for any tenant's issuer; the consumer key only for
    /// the consumer issuer.</summary>
    private static TokenVerifier Verifier(VerifierSettings? settings = null) =>
        new(KeyScopePolicy.Create(
            [Set("common", RsaJwk(Rsa, "tenant-key")), Set("consumers", RsaJwk(Rsa2, "msa-key"))],
            [TenantScope, ConsumerScope],
            settings: settings ?? new VerifierSettings { Audiences = ["api://mail"] }));

    [Fact]
    public void Verify_TenantKeyForItsTenant_ValidWithDetails()
    {
        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant)), Now);

        Assert.Equal(VerdictKind.Valid, verdict.Kind);
        Assert.Equal(Reasons.Valid, verdict.Reason);
        Assert.Equal("tenant-key", verdict.Details!.KeyId);
        Assert.Equal(VictimIssuer, verdict.Details.Issuer);
        Assert.Equal(VictimTenant, verdict.Details.Tenant);
        Assert.Equal("api://mail", verdict.Details.Audience);
        Assert.Equal("RS256", verdict.Details.Algorithm);
        Assert.Equal("Microsoft Entra ID (organizations)", verdict.Details.KeyOwner);
        Assert.Equal(KeyScopePolicy.SetOrigin, verdict.Details.KeyScope);
    }

    [Fact]
    public void Verify_ConsumerKeySigningForAnEnterpriseTenant_ForgedNamingKeyOwnerAndClaim()
    {
        // Storm-0558: a consumer (MSA) signing key used to sign a token for an enterprise tenant.
        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant)), Now);

        Assert.Equal(VerdictKind.Forged, verdict.Kind);
        Assert.Equal(Reasons.IssuerOutOfScope, verdict.Reason);
        Assert.Contains("msa-key", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft consumer accounts (MSA)", verdict.Message, StringComparison.Ordinal);
        Assert.Contains(VictimIssuer, verdict.Message, StringComparison.Ordinal);
        Assert.Contains(VictimTenant, verdict.Message, StringComparison.Ordinal);
        Assert.Equal([ConsumerIssuer], verdict.Details!.AllowedIssuers);
    }

    [Fact]
    public void Verify_ConsumerKeyForTheConsumerIssuer_Valid()
    {
        Assert.Equal(VerdictKind.Valid, Verifier().Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(ConsumerIssuer, ConsumerTenant)), Now).Kind);
    }

    [Theory]
    [InlineData(null, "https://login.microsoftonline.com/{0}/v2.0")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "https://evil.example/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/")]
    [InlineData("evil.example/x", "https://login.microsoftonline.com/evil.example/x/v2.0")]
    [InlineData("..", "https://login.microsoftonline.com/../v2.0")]
    [InlineData("a?b", "https://login.microsoftonline.com/a?b/v2.0")]
    public void Verify_IssuerTheTemplateDoesNotMakeFromTid_Forged(string? tenant, string issuer)
    {
        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(issuer, tenant)), Now);

        Assert.Equal(VerdictKind.Forged, verdict.Kind);
        Assert.Equal(Reasons.IssuerOutOfScope, verdict.Reason);
    }

    [Fact]
    public void Verify_ScopeLimitsTenantsAudiencesAndTypes_ForgedOutsideEach()
    {
        var scope = new KeyScope { Owner = "Contoso", Issuers = [new IssuerTemplate(TenantTemplate)], Tenants = [VictimTenant], Audiences = ["api://mail"], TokenTypes = ["at+jwt"] };
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("contoso", RsaJwk(Rsa, "k"))], [scope]));
        string otherTenant = "11111111-2222-3333-4444-555555555555";
        var typed = new Dictionary<string, object?> { ["alg"] = "RS256", ["kid"] = "k", ["typ"] = "at+JWT" };

        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "k", ClaimsOf(VictimIssuer, VictimTenant), header: typed), Now).Kind);
        Assert.Equal(Reasons.TenantOutOfScope, verifier.Verify(SignRsa(Rsa, "k", ClaimsOf($"https://login.microsoftonline.com/{otherTenant}/v2.0", otherTenant), header: typed), Now).Reason);
        Assert.Equal(Reasons.AudienceOutOfScope, verifier.Verify(SignRsa(Rsa, "k", ClaimsOf(VictimIssuer, VictimTenant, "api://files"), header: typed), Now).Reason);
        Assert.Equal(Reasons.TypeOutOfScope, verifier.Verify(SignRsa(Rsa, "k", ClaimsOf(VictimIssuer, VictimTenant)), Now).Reason);
    }

    [Fact]
    public void Verify_RetiredKey_ForgedAfterRetirementOnly()
    {
        var retired = new DateTimeOffset(2021, 4, 4, 0, 0, 0, TimeSpan.Zero);
        var scope = ConsumerScope with { Retired = retired };
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("consumers", RsaJwk(Rsa2, "msa-key"))], [scope]));

        TokenVerdict late = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(ConsumerIssuer, ConsumerTenant)), Now);
        TokenVerdict backdated = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(ConsumerIssuer, ConsumerTenant, issued: retired.AddDays(-1))), Now);
        TokenVerdict inTime = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(ConsumerIssuer, ConsumerTenant, issued: retired.AddDays(-1))), retired.AddDays(-1).AddMinutes(10));

        Assert.Equal((VerdictKind.Forged, Reasons.KeyOutOfValidity), (late.Kind, late.Reason));
        Assert.Equal((VerdictKind.Forged, Reasons.KeyOutOfValidity), (backdated.Kind, backdated.Reason));
        Assert.Equal(VerdictKind.Valid, inTime.Kind);
    }

    [Fact]
    public void Verify_ForgedEvenWhenAlsoExpired_ForgeryReportedFirst()
    {
        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant, issued: Now.AddDays(-3))), Now);

        Assert.Equal(VerdictKind.Forged, verdict.Kind);
    }

    [Fact]
    public void Verify_TokenClaimsAnotherAlgorithmThanItsKey_Refused()
    {
        TokenVerifier verifier = Verifier();
        RSAParameters publicKey = Rsa.ExportParameters(false);

        // HS256 keyed with the bytes of the public key (RS/HS confusion), and PS256 for an RS256 key.
        string confused = SignHmac(publicKey.Modulus!, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant));
        string pss = SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant), alg: "PS256");

        Assert.Equal(Reasons.AlgorithmMismatch, verifier.Verify(confused, Now).Reason);
        Assert.Equal(Reasons.AlgorithmMismatch, verifier.Verify(pss, Now).Reason);
    }

    [Fact]
    public void Verify_TamperedPayloadOrSignature_BadSignature()
    {
        string token = SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant));
        string[] parts = token.Split('.');
        string otherPayload = Base64Url(Encoding.UTF8.GetBytes($"{{\"iss\":\"{VictimIssuer}\",\"tid\":\"{VictimTenant}\",\"aud\":\"api://mail\",\"exp\":9999999999}}"));
        byte[] signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 1;

        Assert.Equal(Reasons.BadSignature, Verifier().Verify($"{parts[0]}.{otherPayload}.{parts[2]}", Now).Reason);
        Assert.Equal(Reasons.BadSignature, Verifier().Verify($"{parts[0]}.{parts[1]}.{Base64Url(signature)}", Now).Reason);
        Assert.Equal(Reasons.BadSignature, Verifier().Verify($"{parts[0]}.{parts[1]}.", Now).Reason);
    }

    [Fact]
    public void Verify_EcdsaWithZeroOrOversizedRAndS_BadSignatureValidOtherwise()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("ec", EcJwk(ec, "ec-key"))], [TenantScope]));
        string token = SignEc(ec, "ec-key", ClaimsOf(VictimIssuer, VictimTenant));
        string input = token[..token.LastIndexOf('.')];
        byte[] order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

        Assert.Equal(VerdictKind.Valid, verifier.Verify(token, Now).Kind);
        Assert.Equal(Reasons.BadSignature, verifier.Verify($"{input}.{Base64Url(new byte[64])}", Now).Reason);
        Assert.Equal(Reasons.BadSignature, verifier.Verify($"{input}.{Base64Url([.. order, .. order])}", Now).Reason);
        Assert.Equal(Reasons.BadSignature, verifier.Verify($"{input}.{Base64Url(new byte[65])}", Now).Reason);
    }

    [Fact]
    public void Verify_HmacKey_ValidWithItsSecretOnly()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("shared", OctJwk(secret, "hs"))], [TenantScope]));

        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignHmac(secret, "hs", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        Assert.Equal(Reasons.BadSignature, verifier.Verify(SignHmac(RandomNumberGenerator.GetBytes(32), "hs", ClaimsOf(VictimIssuer, VictimTenant)), Now).Reason);
    }

    [Theory]
    [InlineData("exp", -7200, Reasons.Expired)]
    [InlineData("nbf", 3600, Reasons.NotYetValid)]
    [InlineData("iat", 3600, Reasons.IssuedInFuture)]
    public void Verify_TimeClaimOutsideSkew_Invalid(string claim, int offsetSeconds, string reason)
    {
        Dictionary<string, object?> claims = ClaimsOf(VictimIssuer, VictimTenant);
        claims[claim] = Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds();
        if (claim != "exp")
        {
            claims["exp"] = Now.AddHours(3).ToUnixTimeSeconds();
        }

        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa, "tenant-key", claims), Now);

        Assert.Equal((VerdictKind.Invalid, reason), (verdict.Kind, verdict.Reason));
    }

    [Fact]
    public void Verify_WithinClockSkew_Valid()
    {
        Dictionary<string, object?> claims = ClaimsOf(VictimIssuer, VictimTenant);
        claims["exp"] = Now.AddSeconds(-200).ToUnixTimeSeconds();
        claims["nbf"] = Now.AddSeconds(200).ToUnixTimeSeconds();

        Assert.Equal(VerdictKind.Valid, Verifier().Verify(SignRsa(Rsa, "tenant-key", claims), Now).Kind);
        Assert.Equal(Reasons.Expired, Verifier(new VerifierSettings { ClockSkew = TimeSpan.FromSeconds(60) }).Verify(SignRsa(Rsa, "tenant-key", claims), Now).Reason);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifierSettings { ClockSkew = TimeSpan.FromHours(1) });
    }

    [Fact]
    public void Verify_Audience_MatchedInStringOrListAndRefusedOtherwise()
    {
        Dictionary<string, object?> listed = ClaimsOf(VictimIssuer, VictimTenant);
        listed["aud"] = new[] { "api://files", "api://mail" };
        Dictionary<string, object?> badList = ClaimsOf(VictimIssuer, VictimTenant);
        badList["aud"] = new object[] { "api://mail", 7 };

        Assert.Equal(VerdictKind.Valid, Verifier().Verify(SignRsa(Rsa, "tenant-key", listed), Now).Kind);
        Assert.Equal(Reasons.WrongAudience, Verifier().Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant, "api://files")), Now).Reason);
        Assert.Equal(Reasons.BadClaim, Verifier().Verify(SignRsa(Rsa, "tenant-key", badList), Now).Reason);
    }

    [Theory]
    [InlineData("iss", null, Reasons.MissingClaim)]
    [InlineData("iss", 5, Reasons.BadClaim)]
    [InlineData("exp", null, Reasons.MissingClaim)]
    [InlineData("exp", "tomorrow", Reasons.BadClaim)]
    [InlineData("exp", -1, Reasons.BadClaim)]
    [InlineData("tid", 3, Reasons.BadClaim)]
    public void Verify_MissingOrIllTypedClaim_Invalid(string claim, object? value, string reason)
    {
        Dictionary<string, object?> claims = ClaimsOf(VictimIssuer, VictimTenant);
        if (value is null)
        {
            claims.Remove(claim);
        }
        else
        {
            claims[claim] = value;
        }

        Assert.Equal(reason, Verifier().Verify(SignRsa(Rsa, "tenant-key", claims), Now).Reason);
    }

    [Fact]
    public void Verify_MaxLifetime_LongLivedTokensRefused()
    {
        TokenVerifier verifier = Verifier(new VerifierSettings { MaxLifetime = TimeSpan.FromHours(2) });

        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        Assert.Equal(Reasons.LifetimeTooLong, verifier.Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant, lifetime: TimeSpan.FromDays(365))), Now).Reason);
    }

    [Fact]
    public void Verify_KeyNamingProblems_UnknownAmbiguousOrRefused()
    {
        var verifier = new TokenVerifier(KeyScopePolicy.Create(
        [
            Set("a", RsaJwk(Rsa, "twice"), RsaJwk(Rsa, "solo")),
            Set("b", RsaJwk(Rsa2, "twice")),
            Set("c", new Dictionary<string, object?>(RsaJwk(Rsa2, "for-encryption")) { ["use"] = "enc" }),
        ]));
        object claims = ClaimsOf(VictimIssuer, VictimTenant);

        Assert.Equal(Reasons.UnknownKey, verifier.Verify(SignRsa(Rsa, "nobody", claims), Now).Reason);
        Assert.Equal(Reasons.AmbiguousKey, verifier.Verify(SignRsa(Rsa, "twice", claims), Now).Reason);
        TokenVerdict refused = verifier.Verify(SignRsa(Rsa2, "for-encryption", claims), Now);
        Assert.Equal(Reasons.KeyRefused, refused.Reason);
        Assert.Contains(KeyReasons.NotForSigning, refused.Message, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "solo", claims), Now).Kind);
    }

    [Fact]
    public void Verify_NoKidWithOneKey_ThatKeyElseUnknown()
    {
        var header = new Dictionary<string, object?> { ["alg"] = "RS256" };
        string token = SignRsa(Rsa, "", ClaimsOf(VictimIssuer, VictimTenant), header: header);

        Assert.Equal(VerdictKind.Valid, new TokenVerifier(KeyScopePolicy.Create([Set("one", RsaJwk(Rsa, "k"))])).Verify(token, Now).Kind);
        Assert.Equal(Reasons.UnknownKey, Verifier().Verify(token, Now).Reason);
    }

    [Fact]
    public void Verify_JwkIssuerMember_IsTheKeysScope()
    {
        // Microsoft's published key sets carry "issuer" on each key: such a set is a policy by itself.
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("published", RsaJwk(Rsa, "tenant-key", issuer: TenantTemplate), RsaJwk(Rsa2, "msa-key", issuer: ConsumerIssuer))]));

        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        TokenVerdict forged = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant)), Now);
        Assert.Equal((VerdictKind.Forged, Reasons.IssuerOutOfScope), (forged.Kind, forged.Reason));
        Assert.Equal(KeyScopePolicy.IssuerMemberOrigin, forged.Details!.KeyScope);
    }

    [Fact]
    public void Create_SameKeyInTwoSets_MostSpecificScopeWins()
    {
        // The consumer key also listed in the common set with the tenant template (as in 2023): the
        // consumer set's own scope wins over the JWK's issuer member, and a kid rule wins over both.
        KeySet common = Set("common", RsaJwk(Rsa2, "msa-key", issuer: TenantTemplate));
        KeySet consumers = Set("consumers", RsaJwk(Rsa2, "msa-key"));
        string storm = SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant));

        Assert.Equal(VerdictKind.Valid, new TokenVerifier(KeyScopePolicy.Create([common])).Verify(storm, Now).Kind);
        Assert.Equal(VerdictKind.Forged, new TokenVerifier(KeyScopePolicy.Create([common, consumers], [null, ConsumerScope])).Verify(storm, Now).Kind);
        var rules = new Dictionary<string, KeyScope> { ["msa-key"] = ConsumerScope };
        Assert.Equal(VerdictKind.Forged, new TokenVerifier(KeyScopePolicy.Create([common], rules: rules)).Verify(storm, Now).Kind);
    }

    [Fact]
    public void VerifySignature_NonJwtPayload_ValidWithPayload()
    {
        var verifier = new TokenVerifier(KeyScopePolicy.Create([Set("one", RsaJwk(Rsa, "k"))]));
        string token = Signed(new Dictionary<string, object?> { ["alg"] = "RS256", ["kid"] = "k" }, "just text", input => Rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        TokenVerdict verdict = verifier.VerifySignature(token, out byte[]? payload);

        Assert.Equal(VerdictKind.Valid, verdict.Kind);
        Assert.Equal("\"just text\"", Encoding.UTF8.GetString(payload!));
        Assert.Equal(Reasons.BadJson, verifier.Verify(token, Now).Reason);
    }

    [Fact]
    public void Verify_AttackerTextInClaims_NeverReachesMessagesRaw()
    {
        Dictionary<string, object?> claims = ClaimsOf("https://evil.example/\u001b[31mred\u0007", "t\u001b]0;title\u0007");
        TokenVerdict verdict = Verifier().Verify(SignRsa(Rsa2, "msa-key", claims), Now);

        Assert.Equal(VerdictKind.Forged, verdict.Kind);
        Assert.DoesNotContain(verdict.Message, char.IsControl);
        Assert.DoesNotContain(verdict.Details!.Issuer!, char.IsControl);
        Assert.DoesNotContain(verdict.Details.Tenant!, char.IsControl);
    }
}
