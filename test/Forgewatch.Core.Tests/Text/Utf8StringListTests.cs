using System.Text;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Tests.Text;

public sealed class Utf8StringListTests
{
    [Fact]
    public void Lists_SharingOneBuffer_EachSeeOnlyTheirItems()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes("<a@x><bé@x><c@x>");
        int[] bounds = [0, 5, 12, 17];
        var first = new Utf8StringList(utf8, bounds, 0, 1);
        var rest = new Utf8StringList(utf8, bounds, 1, 2);

        Assert.Equal(["<a@x>"], first);
        Assert.Equal(["<bé@x>", "<c@x>"], rest);
        Assert.Equal("<c@x>", rest[1]);
        Assert.Equal("<bé@x>"u8.ToArray(), rest.GetUtf8(0).ToArray());
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        Utf8StringList list = Utf8StringList.From(["one"]);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
        Assert.Empty(Utf8StringList.Empty);
    }

    [Fact]
    public void Constructor_BoundsOutsideTheBuffer_Throws() =>
        Assert.Throws<ArgumentException>(() => new Utf8StringList(new byte[4], [0, 5], 0, 1));
}
