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
    public void FromUtf8_KeepsAsGuidExactlyTheLowerCaseCanonicalForm_AsTheBclParsesIt()
    {
        // Random GUIDs, and the same broken one character at a time (case, hyphens, braces, non-digits):
        // kept as a GUID exactly when the text is lower-case canonical, that is when the BCL parses it and
        // writes it back the same (it also takes "0x4b" for a group, which is not how it was logged).
        var random = new Random(20230615);
        const string alphabet = "0123456789abcdefABCDEFg-{}x\u00e9 ";
        int kept = 0, notKept = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] value = new byte[16];
            random.NextBytes(value);
            char[] text = new Guid(value).ToString("D").ToCharArray();
            int changes = random.Next(3);
            for (int c = 0; c < changes; c++)
            {
                text[random.Next(text.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            string logged = new(text);
            Identifier id = Identifier.FromUtf8(Encoding.UTF8.GetBytes(logged));
            Guid expected = default;
            bool canonical = Guid.TryParseExact(logged, "D", out expected) && expected.ToString("D") == logged;
            Assert.Equal(canonical, id.TryGetGuid(out Guid actual));
            Assert.Equal(logged, id.Text);
            if (canonical)
            {
                Assert.Equal(expected, actual);
                kept++;
            }
            else
            {
                notKept++;
            }
        }

        Assert.True(kept > 5000 && notKept > 5000, $"{kept} kept, {notKept} not");
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
