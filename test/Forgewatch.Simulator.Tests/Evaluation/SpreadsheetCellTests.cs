using Forgewatch.Simulator.Evaluation;

namespace Forgewatch.Simulator.Tests.Evaluation;

/// <summary><see cref="SpreadsheetCell"/> undoes what the exposure.csv writer did to a log value, and only that.</summary>
public sealed class SpreadsheetCellTests
{
    [Theory]
    [InlineData("'=HYPERLINK(1)", "=HYPERLINK(1)")]
    [InlineData("'+1@x", "+1@x")]
    [InlineData("'-1@x", "-1@x")]
    [InlineData("'@x", "@x")]
    [InlineData("'\uFF1Dx", "\uFF1Dx")]
    [InlineData("'\\u0009x", "\tx")]
    public void Value_ApostropheTheWriterAdded_Stripped(string cell, string value) => Assert.Equal(value, SpreadsheetCell.Value(cell));

    [Theory]
    [InlineData("'quoted'")]
    [InlineData("<m1@x>")]
    [InlineData("'")]
    [InlineData("")]
    public void Value_NoApostropheAdded_Unchanged(string cell) => Assert.Equal(cell, SpreadsheetCell.Value(cell));

    [Fact]
    public void Value_EscapedUnsafeCharacters_Decoded() =>
        Assert.Equal("<a\u202Eb\nc@x>", SpreadsheetCell.Value("<a\\u202eb\\u000ac@x>"));

    [Fact]
    public void Value_BackslashUOfASafeCharacter_Kept() =>
        Assert.Equal("<a\\u0041@x>", SpreadsheetCell.Value("<a\\u0041@x>"));

    [Fact]
    public void Value_ShortOrInvalidEscape_Kept() =>
        Assert.Equal("x\\u00zz\\u00", SpreadsheetCell.Value("x\\u00zz\\u00"));
}
