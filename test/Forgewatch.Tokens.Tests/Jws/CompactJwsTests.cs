using System.Text;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Tests.Jws;

public class CompactJwsTests
{
    private static readonly TokenLimits Limits = new();

    [Fact]
    public void Parse_WellFormed_PartsAndClaimedAlgorithm()
    {
        string token = Token("{\"alg\":\"RS256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}", "{\"iss\":\"https://login.microsoftonline.com/t/v2.0\"}", [1, 2, 3]);

        using CompactJws? jws = CompactJws.Parse(token, Limits, out TokenVerdict? refusal);

        Assert.Null(refusal);
        Assert.NotNull(jws);
        Assert.Equal("RS256", jws.Algorithm);
        Assert.Equal("key-1", jws.KeyId);
        Assert.Equal("JWT", jws.Type);
        Assert.Equal([1, 2, 3], jws.Signature);
        Assert.Equal(Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]), jws.SigningInput);
        Assert.Equal("https://login.microsoftonline.com/t/v2.0", jws.Payload.RootElement.GetProperty("iss").GetString());
    }

    [Theory]
    [InlineData("{\"alg\":\"none\"}", Reasons.AlgorithmNone)]
    [InlineData("{\"alg\":\"None\"}", Reasons.AlgorithmNone)]
    [InlineData("{\"alg\":\"NONE\"}", Reasons.AlgorithmNone)]
    [InlineData("{\"alg\":\"nOnE \"}", Reasons.AlgorithmNone)]
    [InlineData("{\"alg\":\"rs256\"}", Reasons.BadAlgorithm)]
    [InlineData("{\"alg\":\"RS1\"}", Reasons.BadAlgorithm)]
    [InlineData("{\"alg\":\"EdDSA\"}", Reasons.BadAlgorithm)]
    [InlineData("{\"alg\":256}", Reasons.BadAlgorithm)]
    [InlineData("{\"kid\":\"k\"}", Reasons.BadAlgorithm)]
    [InlineData("{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\"}}", Reasons.EmbeddedKey)]
    [InlineData("{\"alg\":\"RS256\",\"jku\":\"https://evil.example/keys\"}", Reasons.EmbeddedKey)]
    [InlineData("{\"alg\":\"RS256\",\"x5u\":\"https://evil.example/cert\"}", Reasons.EmbeddedKey)]
    [InlineData("{\"alg\":\"RS256\",\"x5c\":[\"MIIB\"]}", Reasons.EmbeddedKey)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"../../etc/passwd\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"a\\\\b\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"k' OR '1'='1\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"k\\\"\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"k\\u0000\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"\"}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":42}", Reasons.BadKeyId)]
    [InlineData("{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}", Reasons.UnknownCritical)]
    [InlineData("{\"alg\":\"RS256\",\"alg\":\"HS256\"}", Reasons.BadJson)]
    [InlineData("{\"alg\":\"RS256\",\"typ\":1}", Reasons.BadJson)]
    public void Parse_RefusedHeader_ReasonCode(string header, string reason)
    {
        Assert.Null(CompactJws.Parse(Token(header, "{}", [1]), Limits, out TokenVerdict? refusal));
        Assert.NotNull(refusal);
        Assert.Equal(VerdictKind.Invalid, refusal.Kind);
        Assert.Equal(reason, refusal.Reason);
        Assert.DoesNotContain(refusal.Message, char.IsControl);
    }

    [Fact]
    public void Parse_VeryLongKeyId_RefusedAndNotEchoedWhole()
    {
        string kid = new('k', 5_000);

        Assert.Null(CompactJws.Parse(Token($"{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}", "{}", [1]), Limits, out TokenVerdict? refusal));
        Assert.Equal(Reasons.BadKeyId, refusal!.Reason);
        Assert.True(refusal.Message.Length < 200, refusal.Message);
    }

    [Theory]
    [InlineData("a.b", Reasons.NotCompactJws)]
    [InlineData("a.b.c.d", Reasons.NotCompactJws)]
    [InlineData("abc", Reasons.NotCompactJws)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.AQ==", Reasons.BadBase64Url)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9 .e30.AQ", Reasons.BadBase64Url)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.A+", Reasons.BadBase64Url)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.é30.AQ", Reasons.BadBase64Url)]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.WzFd.AQ", Reasons.BadJson)]
    [InlineData("bm90IGpzb24.e30.AQ", Reasons.BadJson)]
    public void Parse_MalformedToken_ReasonCode(string token, string reason)
    {
        Assert.Null(CompactJws.Parse(token, Limits, out TokenVerdict? refusal));
        Assert.Equal(reason, refusal!.Reason);
    }

    [Fact]
    public void Parse_OverTheSizeLimit_RefusedBeforeDecoding()
    {
        string token = Token("{\"alg\":\"RS256\"}", "{\"pad\":\"" + new string('x', 20_000) + "\"}", [1]);

        Assert.Null(CompactJws.Parse(token, Limits, out TokenVerdict? refusal));
        Assert.Equal(Reasons.TooLarge, refusal!.Reason);
        using CompactJws? allowed = CompactJws.Parse(token, Limits with { MaxTokenLength = 64 * 1024 }, out _);
        Assert.NotNull(allowed);
    }

    [Fact]
    public void Parse_PayloadNestedTooDeep_Refused()
    {
        string payload = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";

        Assert.Null(CompactJws.Parse(Token("{\"alg\":\"ES256\"}", payload, [1]), Limits, out TokenVerdict? refusal));
        Assert.Equal(Reasons.BadJson, refusal!.Reason);
    }

    internal static string Token(string header, string payload, byte[] signature) =>
        $"{Encode(Encoding.UTF8.GetBytes(header))}.{Encode(Encoding.UTF8.GetBytes(payload))}.{Encode(signature)}";

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
