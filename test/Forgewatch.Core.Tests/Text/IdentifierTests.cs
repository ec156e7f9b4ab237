using System.Text;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Tests.Text;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("cd55bb18-6fbd-4e95-96f5-32168486d724", true)]
    [InlineData("CD55BB18-6FBD-4E95-96F5-32168486D724", false)]
    [InlineData("{cd55bb18-6fbd-4e95-96f5-32168486d724}", false)]
    [InlineData("cd55bb186fbd4e9596f532168486d724", false)]
    [InlineData("cd55bb18-6fbd-4e95-96f5-32168486d72g", false)]
    [InlineData("EKhjcr0tXYUYRGTVF0ukxY", false)]
    [InlineData("sha256:0011", false)]
    public void FromUtf8_TextComesBackExactlyAsLogged(string logged, bool keptAsGuid)
    {
        Identifier id = Identifier.FromUtf8(Encoding.UTF8.GetBytes(logged));

        Assert.Equal(logged, id.Text);
        Assert.Equal(keptAsGuid, id.TryGetGuid(out _));
        Assert.False(id.IsEmpty);
    }

    [Fact]
    public void Equality_GuidFormAndTextFormOfTheSameText_EqualWithEqualHashes()
    {
        const string text = "cd55bb18-6fbd-4e95-96f5-32168486d724";
        Identifier compact = Identifier.FromUtf8(Encoding.UTF8.GetBytes(text));
        Identifier plain = Identifier.FromText(text);

        Assert.Equal(compact, plain);
        Assert.Equal(compact.GetHashCode(), plain.GetHashCode());
        Assert.NotEqual(compact, Identifier.FromText(text.ToUpperInvariant()));
        Assert.NotEqual(compact, Identifier.FromUtf8(Encoding.UTF8.GetBytes("cd55bb18-6fbd-4e95-96f5-32168486d725")));
    }

    [Fact]
    public void Empty_NullOrEmptyTextIsNoIdentifier()
    {
        Assert.True(Identifier.FromText(null).IsEmpty);
        Assert.True(Identifier.FromText(string.Empty).IsEmpty);
        Assert.True(Identifier.FromUtf8([]).IsEmpty);
        Assert.True(default(Identifier).IsEmpty);
        Assert.Null(default(Identifier).Text);
        Assert.Equal(default, Identifier.FromText(null));
    }
}
