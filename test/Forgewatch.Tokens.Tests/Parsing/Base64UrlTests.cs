using System.Text;
using Forgewatch.Tokens.Parsing;

namespace Forgewatch.Tokens.Tests.Parsing;

public class Base64UrlTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Zg", "f")]
    [InlineData("Zm8", "fo")]
    [InlineData("Zm9v", "foo")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9", "{\"alg\":\"RS256\"}")]
    public void Decode_Canonical_Bytes(string text, string expected)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Base64Url.Decode(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Decode_EveryByteValue_RoundTrips()
    {
        byte[] all = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        string text = Convert.ToBase64String(all).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(all, Base64Url.Decode(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("Zg==", "padding")]
    [InlineData("Zg=", "padding")]
    [InlineData("Zm9v ", "whitespace")]
    [InlineData("Zm\n9v", "line break")]
    [InlineData("a+b/", "standard alphabet")]
    [InlineData("Zh", "stray bits in the last character ('h' has bits 'g' has not)")]
    [InlineData("Zm9", "stray bits")]
    [InlineData("Z", "a length no bytes give")]
    [InlineData("Zm9v.", "a dot")]
    public void Decode_NotCanonical_Null(string text, string why)
    {
        Assert.True(Base64Url.Decode(Encoding.ASCII.GetBytes(text)) is null, why);
    }
}
