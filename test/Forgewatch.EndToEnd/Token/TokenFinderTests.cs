using Forgewatch.Cli.Token;

namespace Forgewatch.EndToEnd.Token;

/// <summary>How <c>forgewatch token scan</c> finds tokens in a line (in process: no CLI run needed).</summary>
public sealed class TokenFinderTests
{
    [Theory]
    [InlineData("Authorization: Bearer eyJh.eyJp.sig 200", new[] { "eyJh.eyJp.sig" })]
    [InlineData("authorization: BEARER\tabc.def.ghi", new[] { "abc.def.ghi" })]
    [InlineData("Bearer opaque-token-without-dots", new string[0])]
    [InlineData("the header was Bearer eyJh.eyJp.sig.", new[] { "eyJh.eyJp.sig" })]
    [InlineData("unsigned eyJh.eyJp. and more", new[] { "eyJh.eyJp." })]
    [InlineData("unsigned at the end of a sentence eyJh.eyJp..", new[] { "eyJh.eyJp." })]
    [InlineData("jwe eyJh.key.iv.text.tag is not a JWS", new string[0])]
    [InlineData("inside a word abceyJh.eyJp.sig or 1.eyJh.p.s", new string[0])]
    [InlineData("eyJonly and eyJtwo.parts and a.b.c", new string[0])]
    [InlineData("https://app/cb?id_token=eyJh.eyJp.sig&state=1", new[] { "eyJh.eyJp.sig" })]
    [InlineData("padded eyJh.eyJp.sig== stays as written", new[] { "eyJh.eyJp.sig==" })]
    [InlineData("{\"auth\":\"Bearer eyJh.eyJp.s1\",\"id\":\"eyJh.eyJp.s2\"}", new[] { "eyJh.eyJp.s1", "eyJh.eyJp.s2" })]
    [InlineData("eyJa.eyJb.s1 then Bearer eyJc.eyJd.s2 then eyJe.eyJf.s3", new[] { "eyJa.eyJb.s1", "eyJc.eyJd.s2", "eyJe.eyJf.s3" })]
    [InlineData("xbearer a.b.c", new string[0])]
    public void Find_Line_TokensInLineOrder(string line, string[] expected)
    {
        var found = new List<TokenSpan>();

        TokenFinder.Find(line, found);

        Assert.Equal(expected, found.Select(s => line.Substring(s.Start, s.Length)));
    }
}
