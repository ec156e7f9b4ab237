using Forgewatch.Reports.Terminal;

namespace Forgewatch.Reports.Tests.Terminal;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("MailItemsAccessed", "MailItemsAccessed")]
    [InlineData("evil\u001b[2Jop", "evil?[2Jop")]
    [InlineData("line\nbreak\r", "line?break?")]
    [InlineData("rtl\u202Eexe", "rtl?exe")]
    [InlineData(null, "")]
    public void Safe_LogText_ControlCharactersNeutralized(string? input, string expected) =>
        Assert.Equal(expected, TerminalText.Safe(input));

    [Fact]
    public void Safe_LongText_CutWithEllipsis()
    {
        string result = TerminalText.Safe(new string('a', 500), maxLength: 10);

        Assert.Equal("aaaaaaaaaa…", result);
    }
}
