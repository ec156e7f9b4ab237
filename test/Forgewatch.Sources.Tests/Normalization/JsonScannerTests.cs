using System.Text;
using System.Text.Json;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Tests.Normalization;

/// <summary>
/// <see cref="JsonScanner"/> must accept exactly what <see cref="Utf8JsonReader"/> accepts and report the
/// same tokens: it is checked against it on hand-picked edge cases and on thousands of generated
/// documents, valid ones and the same documents broken at random.
/// </summary>
public sealed class JsonScannerTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData(" { \"a\" : [ 1 , -0.5e+3 , true , false , null , \"x\" ] } \r\n\t")]
    [InlineData("\"plain\"")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("12.5E-7")]
    [InlineData("\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u20AC \\ud83d\\ude00\"")]
    [InlineData("{\"\\u0041\":\"\\\\Inbox\"}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Scan_ValidJson_SameTokensAsUtf8JsonReader(string json) => AssertSameAsUtf8JsonReader(Encoding.UTF8.GetBytes(json), mustAccept: true);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1.e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("1a")]
    [InlineData("tru")]
    [InlineData("nul")]
    [InlineData("True")]
    [InlineData("[1,]")]
    [InlineData("[,1]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\":}")]
    [InlineData("{a:1}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1]")]
    [InlineData("[1}")]
    [InlineData("{\"a\":1}}")]
    [InlineData("{} x")]
    [InlineData("{}{}")]
    [InlineData("\"unterminated")]
    [InlineData("\"bad \\x escape\"")]
    [InlineData("\"short \\u12 escape\"")]
    [InlineData("\"raw\ttab\"")]
    [InlineData("\"raw\nnewline\"")]
    [InlineData("[1 2]")]
    [InlineData("// comment\n{}")]
    [InlineData("{\"a\":1 /* comment */}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Scan_InvalidJson_RejectedLikeUtf8JsonReader(string json) => AssertSameAsUtf8JsonReader(Encoding.UTF8.GetBytes(json), mustAccept: false);

    [Fact]
    public void GetString_LoneSurrogateEscape_ThrowsLikeUtf8JsonReader()
    {
        byte[] json = "\"a\\ud800b\""u8.ToArray();
        var scanner = new JsonScanner(json);
        Assert.True(scanner.Read());
        bool threw = false;
        try
        {
            scanner.GetString();
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw, "a lone surrogate escape must not decode");
    }

    [Fact]
    public void Scan_GeneratedDocumentsAndTheirMutations_AgreeWithUtf8JsonReader()
    {
        var random = new Random(20230615);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 4000; i++)
        {
            var text = new StringBuilder();
            WriteValue(text, random, depth: 0);
            byte[] valid = Encoding.UTF8.GetBytes(text.ToString());
            AssertSameAsUtf8JsonReader(valid, mustAccept: true);
            accepted++;

            for (int m = 0; m < 4; m++)
            {
                byte[] broken = Mutate(valid, random);
                if (AssertSameAsUtf8JsonReader(broken, mustAccept: null))
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        // The mutations must exercise both outcomes, or the comparison proves little.
        Assert.True(rejected > 5000, $"only {rejected} mutated documents were rejected");
        Assert.True(accepted > 5000, $"only {accepted} documents were accepted");
    }

    [Fact]
    public void Scan_BytesThatAreNotUtf8_RejectedWhereverTheyAre()
    {
        // Utf8JsonReader leaves UTF-8 to GetString; the scanner checks it: a document is accepted exactly
        // when Utf8JsonReader accepts it and it is UTF-8.
        byte[][] bad = [[0x80], [0xBF], [0xC3], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0xFF], [0xE3, 0x81]];
        var random = new Random(20231129);
        int notUtf8 = 0, accepted = 0;
        for (int i = 0; i < 3000; i++)
        {
            var text = new StringBuilder();
            WriteValue(text, random, depth: 0);
            var bytes = new List<byte>(Encoding.UTF8.GetBytes(text.ToString()));
            if (random.Next(4) > 0)
            {
                // Anywhere, but never inside a valid multi-byte character.
                int at = random.Next(bytes.Count + 1);
                while (at < bytes.Count && (bytes[at] & 0xC0) == 0x80)
                {
                    at++;
                }

                bytes.InsertRange(at, bad[random.Next(bad.Length)]);
            }

            byte[] json = [.. bytes];
            bool isUtf8 = System.Text.Unicode.Utf8.IsValid(json);
            (_, bool readerOk) = WithUtf8JsonReader(json);
            (_, bool scannerOk) = WithScanner(json);
            Assert.True(scannerOk == (readerOk && isUtf8), $"scanner {(scannerOk ? "accepts" : "rejects")}, reader {(readerOk ? "accepts" : "rejects")}, UTF-8 {isUtf8}: {Convert.ToHexString(json)}");
            notUtf8 += readerOk && !isUtf8 ? 1 : 0;
            accepted += scannerOk ? 1 : 0;
        }

        // Both outcomes, and many documents only the UTF-8 check rejects.
        Assert.True(notUtf8 > 300, $"only {notUtf8} documents were JSON but not UTF-8");
        Assert.True(accepted > 300, $"only {accepted} documents were accepted");
    }

    [Fact]
    public void Scan_NotUtf8InAString_NotUtf8ExceptionWithItsPosition()
    {
        byte[] json = [.. "{\"a\":\"\u00e9t\u00e9 "u8, 0xC3, 0x28, .. "\"}"u8];
        var scanner = new JsonScanner(json);
        int at = -1;
        try
        {
            while (scanner.Read())
            {
            }
        }
        catch (NotUtf8Exception e)
        {
            at = (int)e.BytePositionInLine!.Value;
        }

        Assert.Equal(json.AsSpan().IndexOf([(byte)0xC3, (byte)0x28]), at);
    }

    [Fact]
    public void Scan_OneLine_ValueMustEndOnItsLineAndStopsThere()
    {
        var random = new Random(20230616);
        int multiLine = 0;
        for (int i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            WriteValue(text, random, depth: 0);
            string document = text.ToString();

            // On one line, followed by more lines: the same tokens, and the scan stops at the line end.
            string single = document.Replace('\n', ' ');
            byte[] withNextLine = Encoding.UTF8.GetBytes(single + "\n{\"next\": [");
            (List<string> expected, bool ok) = WithUtf8JsonReader(Encoding.UTF8.GetBytes(single));
            Assert.True(ok);
            var scanner = new JsonScanner(withNextLine, oneLine: true);
            var tokens = new List<string>();
            while (scanner.Read())
            {
                tokens.Add(Describe(scanner.TokenType, scanner.TokenStartIndex, scanner.ValueSpan, scanner.ValueIsEscaped, Text(ref scanner)));
            }

            Assert.Equal(expected, tokens);
            Assert.Equal((byte)'\n', withNextLine[scanner.BytesConsumed]);

            // A line end inside the value is an error on that line.
            byte[] bytes = Encoding.UTF8.GetBytes(document);
            if (bytes.AsSpan(0, ValueEnd(bytes)).Contains((byte)'\n'))
            {
                multiLine++;
                Assert.False(AcceptsOneLine(Encoding.UTF8.GetBytes(document + "\n{}")), document);
            }
        }

        Assert.True(multiLine > 100, $"only {multiLine} documents had a line end inside");
    }

    /// <summary>Where the top-level container of <paramref name="json"/> ends.</summary>
    private static int ValueEnd(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == 0)
            {
                break;
            }
        }

        return (int)reader.BytesConsumed;
    }

    private static bool AcceptsOneLine(byte[] json)
    {
        try
        {
            var scanner = new JsonScanner(json, oneLine: true);
            while (scanner.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Scans <paramref name="json"/> with both readers; returns whether they accepted it.</summary>
    private static bool AssertSameAsUtf8JsonReader(byte[] json, bool? mustAccept)
    {
        string shown = Encoding.UTF8.GetString(json);
        (List<string> expected, bool expectedOk) = WithUtf8JsonReader(json);
        (List<string> actual, bool actualOk) = WithScanner(json);
        Assert.True(expectedOk == actualOk, $"Utf8JsonReader {(expectedOk ? "accepts" : "rejects")} but JsonScanner {(actualOk ? "accepts" : "rejects")}: {shown}");
        if (mustAccept is bool must)
        {
            Assert.True(must == actualOk, $"expected {(must ? "accepted" : "rejected")}: {shown}");
        }

        if (expectedOk)
        {
            Assert.Equal(expected, actual);
        }

        // The same document walked member by member and element by element (NextMember, NextElement)
        // must give the same tokens and verdict, whether or not the walker guesses names (right or wrong).
        foreach (bool guess in (bool[])[false, true])
        {
            (List<string> walked, bool walkedOk) = WithScannerByMember(json, guess ? new Random(json.Length) : null);
            Assert.True(expectedOk == walkedOk, $"Utf8JsonReader {(expectedOk ? "accepts" : "rejects")} but NextMember (guessing {guess}) {(walkedOk ? "accepts" : "rejects")}: {shown}");
            if (expectedOk)
            {
                Assert.Equal(expected, walked);
            }
        }

        return actualOk;
    }

    private static (List<string> Tokens, bool Ok) WithUtf8JsonReader(byte[] json)
    {
        var tokens = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                string decoded = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? Decode(reader) : string.Empty;
                tokens.Add(Describe(reader.TokenType, (int)reader.TokenStartIndex, reader.ValueSpan, reader.ValueIsEscaped, decoded));
            }

            return (tokens, true);
        }
        catch (JsonException)
        {
            return (tokens, false);
        }
    }

    private static string Decode(Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "<undecodable>";
        }
    }

    private static (List<string> Tokens, bool Ok) WithScanner(byte[] json)
    {
        var tokens = new List<string>();
        try
        {
            var scanner = new JsonScanner(json);
            while (scanner.Read())
            {
                string decoded = string.Empty;
                if (scanner.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    try
                    {
                        decoded = scanner.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        decoded = "<undecodable>";
                    }
                }

                tokens.Add(Describe(scanner.TokenType, scanner.TokenStartIndex, scanner.ValueSpan, scanner.ValueIsEscaped, decoded));
            }

            return (tokens, true);
        }
        catch (JsonException)
        {
            return (tokens, false);
        }
    }

    private static (List<string> Tokens, bool Ok) WithScannerByMember(byte[] json, Random? guess)
    {
        var tokens = new List<string>();
        try
        {
            var scanner = new JsonScanner(json);
            if (!scanner.Read())
            {
                return (tokens, true);
            }

            Walk(ref scanner, tokens, guess, [Member(""), Member("a"), Member("Inbox"), Member("é")]);
            return (tokens, !scanner.Read());
        }
        catch (JsonException)
        {
            return (tokens, false);
        }
    }

    /// <summary>A member as the scanner expects it: <c>,"name":</c>.</summary>
    private static byte[] Member(string raw) => Encoding.UTF8.GetBytes($",\"{raw}\":");

    /// <summary>Describes the value the scanner is on and everything inside it, objects read with
    /// NextMember and arrays with NextElement. With <paramref name="guess"/>, each member is read with a
    /// name guessed from <paramref name="names"/> (unescaped names met so far and a few common ones, or none),
    /// which must be reported as expected exactly when it is the name there as written.</summary>
    private static void Walk(ref JsonScanner scanner, List<string> tokens, Random? guess, List<byte[]> names)
    {
        tokens.Add(Describe(scanner.TokenType, scanner.TokenStartIndex, scanner.ValueSpan, scanner.ValueIsEscaped, Text(ref scanner)));
        if (scanner.TokenType == JsonTokenType.StartObject)
        {
            while (true)
            {
                byte[] guessed = guess is null ? [] : guess.Next(4) == 0 ? [] : names[guess.Next(names.Count)];
                bool expected = false;
                if (!(guess is null ? scanner.NextMember() : scanner.NextMember(guessed, out expected)))
                {
                    break;
                }

                byte[] quoted = Member(Encoding.UTF8.GetString(scanner.NameSpan));
                Assert.Equal(guessed.Length > 0 && guessed.AsSpan().SequenceEqual(quoted), expected);
                if (!scanner.NameIsEscaped && !names.Exists(n => n.AsSpan().SequenceEqual(quoted)))
                {
                    names.Add(quoted);
                }

                string name;
                try
                {
                    name = scanner.GetName();
                }
                catch (InvalidOperationException)
                {
                    name = "<undecodable>";
                }

                tokens.Add(Describe(JsonTokenType.PropertyName, scanner.NameStart - 1, scanner.NameSpan, scanner.NameIsEscaped, name));
                Walk(ref scanner, tokens, guess, names);
            }

            tokens.Add(Describe(scanner.TokenType, scanner.TokenStartIndex, default, false, string.Empty));
        }
        else if (scanner.TokenType == JsonTokenType.StartArray)
        {
            while (scanner.NextElement())
            {
                Walk(ref scanner, tokens, guess, names);
            }

            tokens.Add(Describe(scanner.TokenType, scanner.TokenStartIndex, default, false, string.Empty));
        }
    }

    private static string Text(ref JsonScanner scanner)
    {
        if (scanner.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            return string.Empty;
        }

        try
        {
            return scanner.GetString();
        }
        catch (InvalidOperationException)
        {
            return "<undecodable>";
        }
    }

    private static string Describe(JsonTokenType type, int start, ReadOnlySpan<byte> value, bool escaped, string decoded) => type switch
    {
        JsonTokenType.String or JsonTokenType.PropertyName => $"{type}@{start} raw={Encoding.UTF8.GetString(value)} escaped={escaped} text={decoded}",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => $"{type}@{start} {Encoding.UTF8.GetString(value)}",
        _ => $"{type}@{start}",
    };

    private static readonly string[] Pieces =
    [
        "a", "Inbox", "é", "€", "😀", " ", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "<m@x>",
    ];

    private static void WriteValue(StringBuilder text, Random random, int depth)
    {
        Space(text, random);
        // Records are objects: the top level is always a container, deeper levels mostly scalars.
        int kind = depth == 0 ? random.Next(4, 7) : depth > 5 ? random.Next(4) : random.Next(7);
        switch (kind)
        {
            case 0:
                WriteString(text, random);
                break;
            case 1:
                text.Append(random.Next(6) switch
                {
                    0 => "0",
                    1 => "-12",
                    2 => "3.25",
                    3 => "-0.5e+10",
                    4 => "6E-2",
                    _ => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                break;
            case 2:
                text.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
            case 3:
                WriteString(text, random);
                break;
            case 4 or 5:
                text.Append('{');
                int members = random.Next(5);
                for (int i = 0; i < members; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Space(text, random);
                    WriteString(text, random);
                    Space(text, random);
                    text.Append(':');
                    WriteValue(text, random, depth + 1);
                }

                Space(text, random);
                text.Append('}');
                break;
            default:
                text.Append('[');
                int elements = random.Next(5);
                for (int i = 0; i < elements; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    WriteValue(text, random, depth + 1);
                }

                Space(text, random);
                text.Append(']');
                break;
        }

        Space(text, random);
    }

    private static void WriteString(StringBuilder text, Random random)
    {
        text.Append('"');
        int pieces = random.Next(6);
        for (int i = 0; i < pieces; i++)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        // Sometimes long, so that a string crosses the scanner's vector width.
        if (random.Next(4) == 0)
        {
            text.Append('x', random.Next(20, 80));
        }

        text.Append('"');
    }

    private static void Space(StringBuilder text, Random random)
    {
        if (random.Next(4) == 0)
        {
            text.Append(" \t\r\n"[random.Next(4)]);
        }
    }

    private static readonly byte[] Inserts = "{}[]:,\"\\ 0-.eE+tfnu\t\n\u0001x/"u8.ToArray();

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(4))
        {
            case 0 when bytes.Count > 0:
                // Never split a multi-byte character: the input stage has already checked UTF-8.
                if (bytes[at] < 0x80)
                {
                    bytes.RemoveAt(at);
                }

                break;
            case 1 when bytes.Count > 0:
                if (bytes[at] < 0x80)
                {
                    bytes[at] = Inserts[random.Next(Inserts.Length)];
                }

                break;
            case 2:
                while (at < bytes.Count && (bytes[at] & 0xC0) == 0x80)
                {
                    at++;
                }

                bytes.Insert(at, Inserts[random.Next(Inserts.Length)]);
                break;
            default:
                while (at < bytes.Count && (bytes[at] & 0xC0) == 0x80)
                {
                    at++;
                }

                bytes.RemoveRange(at, bytes.Count - at);
                break;
        }

        return [.. bytes];
    }
}
