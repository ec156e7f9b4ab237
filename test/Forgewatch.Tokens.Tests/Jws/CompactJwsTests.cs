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

        Parsed jws = Parse(token, Limits);

        Assert.Null(jws.Refusal);
        Assert.Equal(JwsAlgorithm.RS256, jws.Algorithm);
        Assert.Equal("key-1", jws.KeyId);
        Assert.Equal("JWT", jws.Type);
        Assert.Equal([1, 2, 3], jws.Signature);
        Assert.Equal(Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]), jws.SigningInput);
        Assert.Equal("{\"iss\":\"https://login.microsoftonline.com/t/v2.0\"}", Encoding.UTF8.GetString(jws.Payload));
    }

    [Fact]
    public void Parse_EscapedKeyId_Unescaped()
    {
        Parsed jws = Parse(Token("{\"alg\":\"RS256\",\"kid\":\"k\\u0065y\",\"typ\":\"J\\u0057T\"}", "{}", [1]), Limits);

        Assert.Null(jws.Refusal);
        Assert.Equal("key", jws.KeyId);
        Assert.Equal("JWT", jws.Type);
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
    [InlineData("{\"alg\":\"RS256\",\"\\ud800\":1}", Reasons.BadJson)]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"\\udfff\"}", Reasons.BadJson)]
    public void Parse_RefusedHeader_ReasonCode(string header, string reason)
    {
        TokenVerdict? refusal = Parse(Token(header, "{}", [1]), Limits).Refusal;
        Assert.NotNull(refusal);
        Assert.Equal(VerdictKind.Invalid, refusal.Kind);
        Assert.Equal(reason, refusal.Reason);
        Assert.DoesNotContain(refusal.Message, char.IsControl);
    }

    [Fact]
    public void Parse_VeryLongKeyId_RefusedAndNotEchoedWhole()
    {
        string kid = new('k', 5_000);

        TokenVerdict? refusal = Parse(Token($"{{\"alg\":\"RS256\",\"kid\":\"{kid}\"}}", "{}", [1]), Limits).Refusal;
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
    [InlineData("bm90IGpzb24.e30.AQ", Reasons.BadJson)]
    [InlineData("W10.e30.AQ", Reasons.BadJson)]
    public void Parse_MalformedToken_ReasonCode(string token, string reason)
    {
        Assert.Equal(reason, Parse(token, Limits).Refusal!.Reason);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"iss\":\"a\",\"\\ud800\":1}")]
    [InlineData("{\"iss\":\"\\udc00x\"}")]
    [InlineData("{\"iss\":\"a\",\"x\":{\"\\ud800\\u0041\":1}}")]
    [InlineData("not json")]
    [InlineData("{\"iss\":\"a\",\"iss\":\"b\"}")]
    [InlineData("{\"iss\":\"a\",\"x\":{\"y\":1,\"y\":2}}")]
    [InlineData("{\"iss\":\"a\",\"i\\u0073s\":\"b\"}")]
    public void ReadClaims_PayloadNotOneStrictObject_BadJson(string payload)
    {
        Assert.Equal(Reasons.BadJson, ReadClaims(payload)!.Reason);
    }

    [Fact]
    public void Parse_OverTheSizeLimit_RefusedBeforeDecoding()
    {
        string token = Token("{\"alg\":\"RS256\"}", "{\"pad\":\"" + new string('x', 20_000) + "\"}", [1]);

        Assert.Equal(Reasons.TooLarge, Parse(token, Limits).Refusal!.Reason);
        Assert.Null(Parse(token, Limits with { MaxTokenLength = 64 * 1024 }).Refusal);
    }

    [Fact]
    public void Parse_PayloadNestedTooDeep_Refused()
    {
        string payload = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40)) + "}";

        Assert.Equal(Reasons.BadJson, ReadClaims(payload)!.Reason);
        Assert.Null(ReadClaims("{\"iss\":\"a\",\"a\":" + string.Concat(Enumerable.Repeat("[", 10)) + string.Concat(Enumerable.Repeat("]", 10)) + "}"));
    }

    [Fact]
    public void Parse_HeaderNestedTooDeep_Refused()
    {
        string header = "{\"alg\":\"ES256\",\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", 40)) + "1" + string.Concat(Enumerable.Repeat("}", 40)) + "}";

        Assert.Equal(Reasons.BadJson, Parse(Token(header, "{}", [1]), Limits).Refusal!.Reason);
    }

    internal sealed record Parsed(TokenVerdict? Refusal, JwsAlgorithm Algorithm, string? KeyId, string? Type, byte[] Signature, byte[] SigningInput, byte[] Payload);

    internal static Parsed Parse(string token, TokenLimits limits)
    {
        byte[] buffer = new byte[CompactJws.BufferSize(token.Length)];
        TokenVerdict? refusal = CompactJws.TryParse(token, limits, buffer, out JwsParts parts);
        return new Parsed(refusal, parts.Algorithm, parts.KeyId.IsEmpty ? null : Encoding.UTF8.GetString(parts.KeyId), parts.Type.IsEmpty ? null : Encoding.UTF8.GetString(parts.Type), parts.Signature.ToArray(), parts.SigningInput.ToArray(), parts.Payload.ToArray());
    }

    private static TokenVerdict? ReadClaims(string payload)
    {
        byte[] json = Encoding.UTF8.GetBytes(payload);
        byte[] scratch = new byte[json.Length * 2];
        return Forgewatch.Tokens.Claims.ClaimSet.Read(json, scratch, Limits.MaxJsonDepth, out _);
    }

    internal static string Token(string header, string payload, byte[] signature) =>
        $"{Encode(Encoding.UTF8.GetBytes(header))}.{Encode(Encoding.UTF8.GetBytes(payload))}.{Encode(signature)}";

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
