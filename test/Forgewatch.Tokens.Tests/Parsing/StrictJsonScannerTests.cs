using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Parsing;

namespace Forgewatch.Tokens.Tests.Parsing;

/// <summary>The hand-written scanner against System.Text.Json's judgement: on hand-picked edge cases and on
/// thousands of generated and mutated documents, it accepts exactly what a strict reading accepts (one object,
/// RFC 8259 JSON, no escaped lone surrogates, no member name twice in any object), and captures the same
/// values.</summary>
public class StrictJsonScannerTests
{
    [Theory]
    [InlineData("{}", true)]
    [InlineData(" \t\r\n{ } \n", true)]
    [InlineData("{\"a\":[]}", true)]
    [InlineData("{\"a\":[{},[],\"\",0,-0,1.5e+3,-2E-2,true,false,null]}", true)]
    [InlineData("{\"a\":\"\\ud83d\\ude00 \\u00e9 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}", true)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("{\"a\":[1,]}", false)]
    [InlineData("{\"a\":[,1]}", false)]
    [InlineData("{,}", false)]
    [InlineData("{\"a\" 1}", false)]
    [InlineData("{\"a\":01}", false)]
    [InlineData("{\"a\":1.}", false)]
    [InlineData("{\"a\":.5}", false)]
    [InlineData("{\"a\":1e}", false)]
    [InlineData("{\"a\":+1}", false)]
    [InlineData("{\"a\":-}", false)]
    [InlineData("{\"a\":tru}", false)]
    [InlineData("{\"a\":truex}", false)]
    [InlineData("{\"a\":NaN}", false)]
    [InlineData("{\"a\":\"\\x\"}", false)]
    [InlineData("{\"a\":\"\\u12\"}", false)]
    [InlineData("{\"a\":\"\\ud800\"}", false)]
    [InlineData("{\"a\":\"\\udc00\"}", false)]
    [InlineData("{\"a\":\"\\ud800\\u0041\"}", false)]
    [InlineData("{\"a\":\"tab\there\"}", false)]
    [InlineData("{\"a\":1}{}", false)]
    [InlineData("{\"a\":1} x", false)]
    [InlineData("{\"a\":1", false)]
    [InlineData("{\"a\":\"1}", false)]
    [InlineData("{'a':1}", false)]
    [InlineData("{\"a\":1 /* c */}", false)]
    [InlineData("{\"a\":{\"b\":1,\"b\":2}}", false)]
    [InlineData("{\"a\":[{\"b\":1},{\"b\":2}]}", true)]
    [InlineData("{\"b\":1,\"c\":{\"b\":2}}", true)]
    [InlineData("{\"\\u0062\":1,\"b\":2}", false)]
    [InlineData("[]", false)]
    [InlineData("\"s\"", false)]
    [InlineData("", false)]
    public void Scan_EdgeCase_AgreesWithStrictReading(string json, bool accepted)
    {
        Assert.Equal(accepted, Scan(Encoding.UTF8.GetBytes(json), out _) is null);
        Assert.Equal(accepted, Reference(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void Scan_GeneratedAndMutatedDocuments_SameVerdictAndValuesAsSystemTextJson()
    {
        var random = new Random(20261129);
        var disagreements = new List<string>();
        for (int i = 0; i < 20_000 && disagreements.Count < 10; i++)
        {
            byte[] json = Encoding.UTF8.GetBytes(Document(random));
            if (i % 2 == 1)
            {
                json = Mutate(json, random);
            }

            string? problem = Scan(json, out string? iss);
            bool expected = Reference(json, out string? expectedIss);
            if ((problem is null) != expected || (expected && iss != expectedIss))
            {
                disagreements.Add($"{Encoding.UTF8.GetString(json)} -> scanner: {problem ?? "accepted"} ({iss}); reference: {expected} ({expectedIss})");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private static string? Scan(byte[] json, out string? iss)
    {
        byte[] scratch = new byte[json.Length + 16];
        Span<JsonSlot> slots = stackalloc JsonSlot[1];
        string? problem = StrictJsonScanner.Scan<IssOnly>(json, 16, scratch, slots);
        iss = problem is null && slots[0].Type == JsonTokenType.String ? Encoding.UTF8.GetString(slots[0].Value(json, scratch)) : null;
        return problem;
    }

    /// <summary>System.Text.Json's strict reading: a document, an object at the root, every string readable
    /// as text, no repeated member name.</summary>
    private static bool Reference(byte[] json, out string? iss)
    {
        iss = null;
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !Readable(document.RootElement))
            {
                return false;
            }

            iss = document.RootElement.TryGetProperty("iss", out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Readable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty member in element.EnumerateObject())
                {
                    if (!names.Add(member.Name) || !Readable(member.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                return element.EnumerateArray().All(Readable);
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            default:
                return true;
        }
    }

    private static readonly string[] Names = ["iss", "aud", "a", "b", "\\u0069ss", "x\\ny", "é", "\\ud83d\\ude00", "sub"];
    private static readonly string[] Strings = ["", "https://login.microsoftonline.com/t/v2.0", "a\\\"b", "\\u00e9", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "tab\\t", "é€😀", "\\/", "x\\q"];
    private static readonly string[] Numbers = ["0", "-0", "1", "123", "1.5", "-2e10", "1E+2", "01", "1.", ".5", "-", "1e", "2e-", "0x1", "1.2.3"];
    private static readonly string[] Literals = ["true", "false", "null", "tru", "nul", "True"];

    private static string Document(Random random) => "{" + Members(random, 0) + "}";

    private static string Members(Random random, int depth)
    {
        int count = random.Next(0, 6);
        var parts = new List<string>();
        for (int i = 0; i < count; i++)
        {
            parts.Add($"\"{Names[random.Next(Names.Length)]}\"{Space(random)}:{Space(random)}{Value(random, depth)}");
        }

        return string.Join("," + Space(random), parts);
    }

    private static string Value(Random random, int depth) => random.Next(depth > 4 ? 3 : 5) switch
    {
        0 => $"\"{Strings[random.Next(Strings.Length)]}\"",
        1 => Numbers[random.Next(Numbers.Length)],
        2 => Literals[random.Next(Literals.Length)],
        3 => "{" + Members(random, depth + 1) + "}",
        _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))) + "]",
    };

    private static string Space(Random random) => random.Next(8) switch { 0 => " ", 1 => "\n\t", 2 => "\r\n ", _ => "" };

    private static byte[] Mutate(byte[] json, Random random)
    {
        var bytes = new List<byte>(json);
        const string Alphabet = "{}[],:\"\\ -0123456789.eEtrufalsn\t\u0001x";
        for (int m = random.Next(1, 4); m > 0 && bytes.Count > 0; m--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, (byte)Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    bytes[at] = (byte)Alphabet[random.Next(Alphabet.Length)];
                    break;
            }
        }

        return [.. bytes];
    }

    private readonly struct IssOnly : IMemberNames
    {
        public static int Count => 1;

        public static int IndexOf(ReadOnlySpan<byte> name) => name.SequenceEqual("iss"u8) ? 0 : -1;
    }
}
