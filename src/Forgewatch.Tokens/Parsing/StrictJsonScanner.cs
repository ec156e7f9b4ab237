using System.Buffers;
using System.Text.Json;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Parsing;

/// <summary>
/// One pass over a token's header or payload that checks what <see cref="StrictJson"/> checks (exactly one
/// object, UTF-8, no member name twice in any object, a depth limit, no string escaping a lone surrogate) and
/// captures the values of the wanted top-level members, without building a document or allocating on the
/// way: this runs for every token.
/// </summary>
internal static class StrictJsonScanner
{
    private const int InlineNames = 64;

    /// <summary>Why <paramref name="json"/> is refused, or <c>null</c> with <paramref name="slots"/> filled.
    /// <paramref name="scratch"/> must be at least as long as <paramref name="json"/>: escaped names and wanted
    /// escaped strings are unescaped into it.</summary>
    public static string? Scan<TNames>(ReadOnlySpan<byte> json, int maxDepth, Span<byte> scratch, Span<JsonSlot> slots)
        where TNames : IMemberNames
    {
        slots.Clear();
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return "not UTF-8";
        }

        Span<NameEntry> inline = stackalloc NameEntry[InlineNames];
        NameEntry[]? rented = null;
        try
        {
            return Walk<TNames>(json, maxDepth, scratch, slots, inline, ref rented);
        }
        catch (JsonException e)
        {
            return $"not JSON ({ShownText.Of(e.Message)})";
        }
        catch (InvalidOperationException)
        {
            // Thrown while unescaping a string whose escapes make no text (a lone surrogate).
            return "not JSON (a string escapes a lone surrogate)";
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<NameEntry>.Shared.Return(rented);
            }
        }
    }

    private static string? Walk<TNames>(ReadOnlySpan<byte> json, int maxDepth, Span<byte> scratch, Span<JsonSlot> slots, Span<NameEntry> names, ref NameEntry[]? rented)
        where TNames : IMemberNames
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return reader.TokenType == JsonTokenType.None ? "empty" : $"a JSON {Describe(reader.TokenType)}, not an object";
        }

        // bases[d] is where the names of the object open at depth d start in `names`.
        Span<int> bases = stackalloc int[maxDepth + 2];
        bases[0] = 0;
        int level = 0;
        int count = 0;
        int scratchUsed = 0;
        int wanted = -1;
        int openSlot = -1;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    ReadOnlySpan<byte> name;
                    bool inScratch = reader.ValueIsEscaped;
                    int start;
                    if (inScratch)
                    {
                        int length = reader.CopyString(scratch[scratchUsed..]);
                        start = scratchUsed;
                        name = scratch.Slice(scratchUsed, length);
                        scratchUsed += length;
                    }
                    else
                    {
                        name = reader.ValueSpan;
                        start = (int)reader.TokenStartIndex + 1;
                    }

                    int hash = Hash(name);
                    for (int i = bases[level]; i < count; i++)
                    {
                        if (names[i].Hash == hash && (names[i].InScratch ? scratch : json).Slice(names[i].Start, names[i].Length).SequenceEqual(name))
                        {
                            return $"holding the member name \"{ShownText.Of(System.Text.Encoding.UTF8.GetString(name))}\" twice in one object";
                        }
                    }

                    if (count == names.Length)
                    {
                        NameEntry[] bigger = Grow(names, rented);
                        rented = bigger;
                        names = bigger;
                    }

                    names[count++] = new NameEntry(hash, start, name.Length, inScratch);
                    wanted = level == 0 ? TNames.IndexOf(name) : -1;
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (wanted >= 0)
                    {
                        slots[wanted] = new JsonSlot { Type = reader.TokenType, Start = (int)reader.TokenStartIndex };
                        openSlot = wanted;
                        wanted = -1;
                    }

                    level++;
                    bases[level] = count;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    count = bases[level];
                    level--;
                    if (level == 0 && openSlot >= 0)
                    {
                        slots[openSlot].Length = (int)reader.BytesConsumed - slots[openSlot].Start;
                        openSlot = -1;
                    }

                    break;
                default:
                    if (wanted >= 0)
                    {
                        slots[wanted] = Capture(ref reader, scratch, ref scratchUsed);
                        wanted = -1;
                    }
                    else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
                    {
                        // The reader checks escapes only when a string is read: read it, so that no string
                        // whose escapes make no text gets through unread.
                        reader.CopyString(scratch[scratchUsed..]);
                    }

                    break;
            }
        }

        return null;
    }

    private static JsonSlot Capture(ref Utf8JsonReader reader, Span<byte> scratch, ref int scratchUsed)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
        {
            int length = reader.CopyString(scratch[scratchUsed..]);
            var slot = new JsonSlot { Type = JsonTokenType.String, Start = scratchUsed, Length = length, InScratch = true };
            scratchUsed += length;
            return slot;
        }

        int start = (int)reader.TokenStartIndex + (reader.TokenType == JsonTokenType.String ? 1 : 0);
        return new JsonSlot { Type = reader.TokenType, Start = start, Length = reader.ValueSpan.Length };
    }

    private static NameEntry[] Grow(Span<NameEntry> names, NameEntry[]? rented)
    {
        NameEntry[] bigger = ArrayPool<NameEntry>.Shared.Rent(names.Length * 2);
        names.CopyTo(bigger);
        if (rented is not null)
        {
            ArrayPool<NameEntry>.Shared.Return(rented);
        }

        return bigger;
    }

    /// <summary>Length and first and last bytes: enough to tell nearly all distinct names apart before
    /// their bytes are compared, at no cost per byte.</summary>
    private static int Hash(ReadOnlySpan<byte> name) => name.IsEmpty ? 0 : (name.Length << 16) ^ (name[0] << 8) ^ name[^1];

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };

    private readonly record struct NameEntry(int Hash, int Start, int Length, bool InScratch);
}
