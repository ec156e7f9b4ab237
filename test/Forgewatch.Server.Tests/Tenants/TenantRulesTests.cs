using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Tests.Tenants;

public class TenantRulesTests
{
    [Theory]
    [InlineData("contoso")]
    [InlineData("5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("a_b")]
    public void CheckId_Usable_Null(string id) => Assert.Null(TenantRules.CheckId(id));

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("contoso\n")]
    [InlineData("ünïcode")]
    public void CheckId_Unusable_Sentence(string id) => Assert.NotNull(TenantRules.CheckId(id));

    [Fact]
    public void CheckId_TooLong_Sentence() => Assert.NotNull(TenantRules.CheckId(new string('a', TenantRules.MaxIdLength + 1)));

    [Theory]
    [InlineData("sec@contoso.com", true)]
    [InlineData("Security Team <sec@contoso.com>", false)]
    [InlineData("not an address", false)]
    [InlineData("a@b@c", false)]
    public void CheckAdmin_PlainAddressesOnly(string email, bool usable) => Assert.Equal(usable, TenantRules.CheckAdmin(email) is null);

    [Theory]
    [InlineData("https://hooks.example/x", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("ftp://hooks.example/x", false)]
    [InlineData("https://user:pass@hooks.example/x", false)]
    [InlineData("/relative", false)]
    public void CheckWebhook_AbsoluteHttpWithoutCredentials(string url, bool usable) => Assert.Equal(usable, TenantRules.CheckWebhook(url) is null);

    [Fact]
    public void IngestionKey_NewKeys_DistinctPrefixedAndHashedStably()
    {
        string a = IngestionKey.New();
        string b = IngestionKey.New();

        Assert.NotEqual(a, b);
        Assert.StartsWith(IngestionKey.Prefix, a, StringComparison.Ordinal);
        Assert.Equal(IngestionKey.Prefix.Length + 43, a.Length);
        Assert.Equal(IngestionKey.Hash(a), IngestionKey.Hash(a));
        Assert.NotEqual(IngestionKey.Hash(a), IngestionKey.Hash(b));
        Assert.Equal(64, IngestionKey.Hash(a).Length);
    }
}
