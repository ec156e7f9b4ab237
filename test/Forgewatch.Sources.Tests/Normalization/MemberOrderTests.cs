using System.Text;
using System.Text.Json;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Tests.Normalization;

/// <summary>
/// <see cref="MemberOrder"/> guesses which member comes next from the objects before; whatever it
/// guesses, it must name every member exactly as a plain comparison of names would, in any order,
/// spacing and casing, with unknown members in between, and keep the scanner on the right values.
/// </summary>
public sealed class MemberOrderTests
{
    private static readonly string[] Known = ["InternetMessageId", "SizeInBytes", "Id", "ImmutableId"];

    [Fact]
    public void Next_ObjectsInShiftingOrders_NamesEveryMemberAsByName()
    {
        var random = new Random(20230615);
        var order = new MemberOrder(Known);
        int objects = 0;
        string[] current = [.. Known];
        for (int i = 0; i < 3000; i++)
        {
            // Runs of objects share an order (as records of one export do); then the order changes.
            if (random.Next(20) == 0)
            {
                current = [.. Known.Concat(["Other", "X"]).OrderBy(_ => random.Next()).Take(random.Next(1, 7))];
            }

            string[] names = [.. current.Select(n => random.Next(30) == 0 ? n.ToLowerInvariant() : n)];
            bool compact = random.Next(4) != 0;
            string separator = compact ? "" : " ";
            string json = "{" + string.Join("," + separator, names.Select((n, k) => $"{separator}\"{n}\"{separator}:{separator}{Value(n, k)}")) + separator + "}";
            AssertNamedAsByName(order, json, names);
            objects++;
        }

        Assert.Equal(3000, objects);
    }

    [Fact]
    public void Next_EmptyObjectAndEscapedNames_AreReadToo()
    {
        var order = new MemberOrder(Known);
        AssertNamedAsByName(order, "{}", []);
        AssertNamedAsByName(order, "{\"Id\":1}", ["Id"]);
        AssertNamedAsByName(order, "{\"\\u0049d\":1,\"SizeInBytes\":2}", ["Id", "SizeInBytes"]);
        AssertNamedAsByName(order, "{\"Id\":1,\"SizeInBytes\":2}", ["Id", "SizeInBytes"]);
    }

    /// <summary>Numbers, strings, objects and arrays, so that the scanner must land on each value whole.</summary>
    private static string Value(string name, int k) => ((name.Length + k) % 4) switch
    {
        0 => k.ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => $"\"v{k}\"",
        2 => $"{{\"{name}\":[{k}]}}",
        _ => $"[\"{name}\",{k}]",
    };

    private static void AssertNamedAsByName(MemberOrder order, string json, string[] names)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var reader = new JsonScanner(bytes);
        Assert.True(reader.Read());
        int previous = MemberOrder.AtStart;
        var seen = new List<string>();
        while (order.Next(ref reader, ref previous, out int which))
        {
            string name = reader.GetName();
            int byName = Array.FindIndex(Known, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            Assert.True(byName == which, $"{json}: member '{name}' named {which}, by name {byName}");
            seen.Add(name);
            reader.Skip();
        }

        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.False(reader.Read());
        Assert.Equal(names, seen);
    }
}
