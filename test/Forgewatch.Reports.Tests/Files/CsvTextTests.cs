using Forgewatch.Reports.Files;

namespace Forgewatch.Reports.Tests.Files;

public sealed class CsvTextTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\\u0009=1")]
    [InlineData("\r=1", "'\\u000d=1")]
    [InlineData("\uFF1D1", "'\uFF1D1")]
    [InlineData("a\u0007b\nc", "a\\u0007b\\u000ac")]
    [InlineData("\u202Egnp.exe", "\\u202egnp.exe")]
    [InlineData("say \"hi\", then", "\"say \"\"hi\"\", then\"")]
    [InlineData("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")]
    [InlineData("\\Inbox\\Finance", "\\Inbox\\Finance")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cell_LogText_InertCell(string? value, string expected) => Assert.Equal(expected, CsvText.Cell(value));
}
