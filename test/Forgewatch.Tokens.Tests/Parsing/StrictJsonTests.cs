using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Parsing;

namespace Forgewatch.Tokens.Tests.Parsing;

public class StrictJsonTests
{
    [Fact]
    public void ParseObject_PlainObject_Parsed()
    {
        using JsonDocument? document = StrictJson.ParseObject(Bytes("{\"alg\":\"RS256\",\"x\":{\"y\":[1,{\"z\":2}]}}"), out string problem);

        Assert.NotNull(document);
        Assert.Equal("", problem);
        Assert.Equal("RS256", document.RootElement.GetProperty("alg").GetString());
    }

    [Theory]
    [InlineData("{\"alg\":\"RS256\",\"alg\":\"none\"}", "\"alg\" appears twice")]
    [InlineData("{\"alg\":\"RS256\",\"\\u0061lg\":\"none\"}", "\"alg\" appears twice")]
    [InlineData("{\"a\":{\"b\":1,\"b\":2}}", "\"b\" appears twice")]
    [InlineData("{\"a\":[{\"c\":1,\"c\":1}]}", "\"c\" appears twice")]
    [InlineData("[1]", "not an object")]
    [InlineData("\"text\"", "not an object")]
    [InlineData("{\"a\":1} {}", "not JSON")]
    [InlineData("{\"a\":1,}", "not JSON")]
    [InlineData("{/*c*/\"a\":1}", "not JSON")]
    [InlineData("{\"\\ud800\":1}", "lone surrogate")]
    public void ParseObject_NotOneStrictObject_NullWithReason(string json, string expected)
    {
        Assert.Null(StrictJson.ParseObject(Bytes(json), out string problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseObject_RepeatedNameWithControlCharacters_NeutralizedInTheReason()
    {
        Assert.Null(StrictJson.ParseObject(Bytes("{\"\\u001b[31mx\":1,\"\\u001b[31mx\":2}"), out string problem));
        Assert.Contains("appears twice", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(problem, char.IsControl);
    }

    [Fact]
    public void ParseObject_NestedDeeperThanTheLimit_Refused()
    {
        string deep = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20)) + "}";

        Assert.Null(StrictJson.ParseObject(Bytes(deep), out string problem, maxDepth: 16));
        Assert.Contains("not JSON", problem, StringComparison.Ordinal);
        using JsonDocument? allowed = StrictJson.ParseObject(Bytes(deep), out _, maxDepth: 32);
        Assert.NotNull(allowed);
    }

    [Fact]
    public void ParseObject_InvalidUtf8_Refused()
    {
        Assert.Null(StrictJson.ParseObject(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, out string problem));
        Assert.Equal("not UTF-8", problem);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
