using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// A strict JSON (RFC 8259) pull scanner over one whole record, with the <see cref="Utf8JsonReader"/>
/// members the normalizers use. It accepts and rejects exactly what <see cref="Utf8JsonReader"/> does with
/// default options and a final block (no comments, no trailing commas, one value, depth at most
/// <see cref="MaxDepth"/>), and reports the same tokens; a differential test holds it to that.
/// <para>
/// It exists for speed: it does little per token (no multi-segment input, no options, no partial data),
/// finds the end of a string with one vector compare for most strings, and reads an object member (name,
/// colon, value) or an array element in one call (<see cref="NextMember()"/>, <see cref="NextElement"/>).
/// On audit records its token pass alone is 1.2-1.4x faster than <see cref="Utf8JsonReader"/>'s, and the
/// one-call members save the normalizers as much again. Unlike <see cref="Utf8JsonReader"/>, which leaves
/// UTF-8 to be checked when a string is decoded, it rejects a record whose strings are not UTF-8
/// (<see cref="NotUtf8Exception"/>): the check rides on the search for a string's end, and JSON Lines
/// input needs no separate pass.
/// </para>
/// </summary>
internal ref struct JsonScanner
{
    public const int MaxDepth = 64;

    /// <summary>What ends the plain run of a string: its closing quote, an escape, a control character
    /// (which JSON forbids inside strings), or a byte of a multi-byte UTF-8 sequence (checked there).</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(MakeStringStops());

    private static byte[] MakeStringStops()
    {
        var stops = new List<byte> { (byte)'"', (byte)'\\' };
        for (int b = 0; b < 0x20; b++)
        {
            stops.Add((byte)b);
        }

        for (int b = 0x80; b <= 0xFF; b++)
        {
            stops.Add((byte)b);
        }

        return [.. stops];
    }

    private readonly ReadOnlySpan<byte> _json;
    private readonly bool _oneLine;
    private int _pos;
    private int _depth;
    private ulong _arrays;
    private Expect _expect;
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    private int _nameStart;
    private int _nameLength;

    /// <summary>A scanner over one JSON value. With <paramref name="oneLine"/> (JSON Lines), a line end is
    /// not whitespace: the value must end on its line, and the scanner stops at that line end, which may
    /// be followed by anything (the next lines).</summary>
    public JsonScanner(ReadOnlySpan<byte> json, bool oneLine = false)
    {
        _json = json;
        _expect = Expect.Value;
        _oneLine = oneLine;
    }

    private enum Expect : byte
    {
        /// <summary>The top-level value.</summary>
        Value,
        /// <summary>Just inside <c>{</c>: a member name or <c>}</c>.</summary>
        FirstMember,
        /// <summary>Just inside <c>[</c>: a value or <c>]</c>.</summary>
        FirstElement,
        /// <summary>After a member name and its colon: the member's value.</summary>
        MemberValue,
        /// <summary>After a value inside a container: <c>,</c> or the container's end.</summary>
        CommaOrEnd,
        /// <summary>After the top-level value: only whitespace may follow.</summary>
        Done,
    }

    public JsonTokenType TokenType { get; private set; }

    /// <summary>True when the current string or name holds escapes: <see cref="ValueSpan"/> is then the raw text.</summary>
    public bool ValueIsEscaped { get; private set; }

    /// <summary>Where the current token starts (for a string, its opening quote).</summary>
    public readonly int TokenStartIndex => _tokenStart;

    /// <summary>Bytes read so far: just past the current token.</summary>
    public readonly int BytesConsumed => _pos;

    /// <summary>The input from <paramref name="start"/> to where the reader is (just past the current token).</summary>
    public readonly ReadOnlySpan<byte> TextFrom(int start) => _json[start.._pos];

    /// <summary>The raw bytes of the current string or name (without quotes, escapes as written), number or literal.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _valueLength);

    /// <summary>Moves to the next token; false after the top-level value when only whitespace is left.
    /// Throws <see cref="JsonException"/> where the text is not JSON.</summary>
    public bool Read()
    {
        ReadOnlySpan<byte> json = _json;
        int pos = SkipSpace(json, _pos);
        switch (_expect)
        {
            case Expect.CommaOrEnd:
                bool inArray = InArray;
                if (!NextItem(json, ref pos, inArray))
                {
                    return true; // the container's end
                }

                return inArray ? ReadValue(json, pos) : ReadName(json, pos);
            case Expect.MemberValue:
                return ReadValue(json, pos);
            case Expect.FirstMember:
                return !NextItem(json, ref pos, array: false) || ReadName(json, pos);
            case Expect.FirstElement:
                return !NextItem(json, ref pos, array: true) || ReadValue(json, pos);
            case Expect.Value:
                if (pos >= json.Length)
                {
                    throw Error(pos, "The input does not contain any JSON tokens");
                }

                return ReadValue(json, pos);
            default:
                if (pos < json.Length && !(_oneLine && json[pos] == '\n'))
                {
                    throw Error(pos, $"{Describe(json, pos)} is invalid after the end of the JSON value");
                }

                _pos = pos;
                return false;
        }
    }

    /// <summary>Skips the current value: from a member name (after <see cref="Read"/>), its value; from
    /// the start of an object or array, up to its end (validating what it skips). Other tokens are their
    /// own value.</summary>
    public void Skip()
    {
        if (TokenType == JsonTokenType.PropertyName)
        {
            Read();
        }

        if (TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            int depth = _depth - 1;
            while (_depth > depth)
            {
                Read();
            }
        }
    }

    /// <summary>
    /// On the start of an object or array whose text, from its opening bracket, is exactly
    /// <paramref name="known"/>, consumes it whole and leaves the reader on its end, as
    /// <see cref="Skip"/> would; otherwise returns false and moves nothing. <paramref name="known"/> must be
    /// a whole object or array this scanner has already read as valid in the same place (nesting depth and
    /// line mode): the same bytes then need no second look.
    /// </summary>
    public bool TrySkipKnown(ReadOnlySpan<byte> known)
    {
        Debug.Assert(TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray, "On a container's start.");
        Debug.Assert(known.Length >= 2 && known[0] is (byte)'{' or (byte)'[' && known[^1] is (byte)'}' or (byte)']', "A whole container.");
        if (!_json[_tokenStart..].StartsWith(known))
        {
            return false;
        }

        EndContainer(_tokenStart + known.Length - 1, TokenType == JsonTokenType.StartArray ? JsonTokenType.EndArray : JsonTokenType.EndObject);
        return true;
    }

    /// <summary>
    /// Inside an object (just after its start or after a member's value), moves to the next member: reads
    /// its name (<see cref="NameSpan"/>), the colon, and its value's first token, which the reader is then
    /// on. At the object's end returns false, on <see cref="JsonTokenType.EndObject"/>. One call per member
    /// instead of two <see cref="Read"/>s: members are most of a record's tokens.
    /// </summary>
    public bool NextMember() => NextMember(default, out _);

    /// <summary>
    /// <see cref="NextMember()"/> for callers that know which name comes next (records of one export
    /// share their member order). <paramref name="expectedMember"/> is the member as it is written in
    /// compact JSON after an earlier member: comma, the name with its quotes (no escapes), colon, as in
    /// <c>,"ClientIP":</c>. When the input holds exactly that there (without the comma for the first
    /// member), it is taken by one compare; when it holds the name with other spacing, by one compare of
    /// the name. Either way <paramref name="expected"/> is true; otherwise the name is scanned
    /// as usual.
    /// </summary>
    public bool NextMember(ReadOnlySpan<byte> expectedMember, out bool expected)
    {
        Debug.Assert(expectedMember.IsEmpty || IsMemberPattern(expectedMember), "A comma, a quoted name without escapes, a colon.");
        ReadOnlySpan<byte> json = _json;
        int pos = _pos;
        if (!expectedMember.IsEmpty)
        {
            // The common cases in one step: "Name": written compactly just inside the object's brace,
            // or ,"Name": right after the previous value.
            int skip = _expect == Expect.CommaOrEnd ? 0 : _expect == Expect.FirstMember ? 1 : -1;
            if (skip >= 0 && json[pos..].StartsWith(expectedMember[skip..]) && !InArray)
            {
                expected = true;
                _tokenStart = pos + 1 - skip;
                _nameStart = pos + 2 - skip;
                _nameLength = expectedMember.Length - 4;
                NameIsEscaped = false;
                _expect = Expect.MemberValue;
                return ReadValue(json, SkipSpace(json, pos + expectedMember.Length - skip));
            }
        }

        pos = SkipSpace(json, pos);
        if (!NextItem(json, ref pos, array: false))
        {
            expected = false;
            return false;
        }

        ReadOnlySpan<byte> quotedName = expectedMember.Length > 3 ? expectedMember[1..^1] : default;
        expected = !quotedName.IsEmpty && json[pos..].StartsWith(quotedName);
        if (expected)
        {
            _tokenStart = pos;
            _nameStart = pos + 1;
            _nameLength = quotedName.Length - 2;
            NameIsEscaped = false;
            TakeColon(json, pos + quotedName.Length);
        }
        else
        {
            ReadName(json, pos);
        }

        return ReadValue(json, SkipSpace(json, _pos));
    }

    private static bool IsMemberPattern(ReadOnlySpan<byte> member) =>
        member.Length >= 4 && member[0] == ',' && member[1] == '"' && member[^2] == '"' && member[^1] == ':'
        && member[2..^2].IndexOfAny((byte)'"', (byte)'\\') < 0;

    /// <summary>
    /// Inside an array (just after its start or after an element), moves to the next element's first
    /// token. At the array's end returns false, on <see cref="JsonTokenType.EndArray"/>.
    /// </summary>
    public bool NextElement()
    {
        ReadOnlySpan<byte> json = _json;
        int pos = SkipSpace(json, _pos);
        return NextItem(json, ref pos, array: true) && ReadValue(json, pos);
    }

    /// <summary>
    /// Steps from the start of the current object or array, or from after one of its items, to where
    /// the next item starts (past the comma); or, at the container's end, reads its closing token and
    /// returns false.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NextItem(ReadOnlySpan<byte> json, ref int pos, bool array)
    {
        byte close = array ? (byte)']' : (byte)'}';
        if (_expect == Expect.CommaOrEnd && InArray == array)
        {
            if ((uint)pos >= (uint)json.Length)
            {
                throw Error(pos, array ? "The record ends inside an array" : "The record ends inside an object");
            }

            byte b = json[pos];
            if (b == close)
            {
                EndContainer(pos, array ? JsonTokenType.EndArray : JsonTokenType.EndObject);
                return false;
            }

            if (b != ',')
            {
                throw Error(pos, $"{Describe(json, pos)} is invalid after a value; expected ',' or '{(char)close}'");
            }

            pos = SkipSpace(json, pos + 1);
            return true;
        }

        if (_expect == (array ? Expect.FirstElement : Expect.FirstMember))
        {
            if ((uint)pos < (uint)json.Length && json[pos] == close)
            {
                EndContainer(pos, array ? JsonTokenType.EndArray : JsonTokenType.EndObject);
                return false;
            }

            return true;
        }

        throw new InvalidOperationException(array
            ? "NextElement is only valid inside an array, after a value or its start."
            : "NextMember is only valid inside an object, after a value or its start.");
    }

    /// <summary>The raw name of the member <see cref="NextMember()"/> moved to (escapes as written).</summary>
    public readonly ReadOnlySpan<byte> NameSpan => _json.Slice(_nameStart, _nameLength);

    /// <summary>Where <see cref="NameSpan"/> starts in the input.</summary>
    public readonly int NameStart => _nameStart;

    /// <summary>True when <see cref="NameSpan"/> holds escapes.</summary>
    public bool NameIsEscaped { get; private set; }

    /// <summary>The member name <see cref="NextMember()"/> moved to, unescaped.</summary>
    public readonly string GetName() => Decode(_nameStart, _nameLength, NameIsEscaped);

    /// <summary>Unescapes the member name into <paramref name="destination"/> (see <see cref="CopyString"/>).</summary>
    public readonly int CopyName(Span<byte> destination) => Unescape(_nameStart, _nameLength, NameIsEscaped, destination);

    /// <summary>The current string or name, unescaped; numbers and literals as their text.</summary>
    public readonly string GetString() => Decode(_valueStart, _valueLength, ValueIsEscaped);

    /// <summary>Unescapes the current string or name into <paramref name="destination"/>, which must be
    /// at least <see cref="ValueSpan"/>'s length (unescaping never lengthens); returns the bytes written.
    /// Throws <see cref="InvalidOperationException"/> for a <c>\u</c> escape of a lone surrogate, as
    /// <see cref="Utf8JsonReader"/> does.</summary>
    public readonly int CopyString(Span<byte> destination) => Unescape(_valueStart, _valueLength, ValueIsEscaped, destination);

    private readonly string Decode(int start, int length, bool escaped)
    {
        if (!escaped)
        {
            return Encoding.UTF8.GetString(_json.Slice(start, length));
        }

        byte[]? rented = null;
        Span<byte> buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            return Encoding.UTF8.GetString(buffer[..Unescape(start, length, escaped, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private readonly int Unescape(int start, int length, bool escaped, Span<byte> destination)
    {
        ReadOnlySpan<byte> raw = _json.Slice(start, length);
        if (!escaped)
        {
            raw.CopyTo(destination);
            return raw.Length;
        }

        int written = 0;
        while (true)
        {
            int backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw.CopyTo(destination[written..]);
                return written + raw.Length;
            }

            raw[..backslash].CopyTo(destination[written..]);
            written += backslash;
            byte escape = raw[backslash + 1];
            raw = raw[(backslash + 2)..];
            switch (escape)
            {
                case (byte)'b':
                    destination[written++] = (byte)'\b';
                    break;
                case (byte)'f':
                    destination[written++] = (byte)'\f';
                    break;
                case (byte)'n':
                    destination[written++] = (byte)'\n';
                    break;
                case (byte)'r':
                    destination[written++] = (byte)'\r';
                    break;
                case (byte)'t':
                    destination[written++] = (byte)'\t';
                    break;
                case (byte)'u':
                    int code = HexValue(raw);
                    if (code is >= 0xD800 and <= 0xDFFF)
                    {
                        // A surrogate pair (or a lone surrogate, which is an error): rare enough to
                        // leave to System.Text.Json, which checks the pairing.
                        return CopyWithUtf8JsonReader(_json.Slice(start - 1, length + 2), destination);
                    }

                    written += new Rune(code).EncodeToUtf8(destination[written..]);
                    raw = raw[4..];
                    break;
                default:
                    // '"', '\\' and '/' stand for themselves; the scan admitted no other escape.
                    destination[written++] = escape;
                    break;
            }
        }
    }

    private static int HexValue(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            value = (value << 4) | HexDigit(hex[i]);
        }

        return value;
    }

    private static int HexDigit(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static int CopyWithUtf8JsonReader(ReadOnlySpan<byte> quoted, Span<byte> destination)
    {
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.CopyString(destination);
    }

    private readonly bool InArray => ((_arrays >> (_depth - 1)) & 1) != 0;

    private bool ReadValue(ReadOnlySpan<byte> json, int pos)
    {
        if ((uint)pos >= (uint)json.Length)
        {
            throw Error(pos, "The record ends where a value was expected");
        }

        _tokenStart = pos;
        switch (json[pos])
        {
            case (byte)'"':
                ScanString(json, pos);
                TokenType = JsonTokenType.String;
                break;
            case (byte)'{':
                Push(pos, array: false);
                TokenType = JsonTokenType.StartObject;
                _expect = Expect.FirstMember;
                return true;
            case (byte)'[':
                Push(pos, array: true);
                TokenType = JsonTokenType.StartArray;
                _expect = Expect.FirstElement;
                return true;
            case (byte)'t':
                Literal(json, pos, "true"u8);
                TokenType = JsonTokenType.True;
                break;
            case (byte)'f':
                Literal(json, pos, "false"u8);
                TokenType = JsonTokenType.False;
                break;
            case (byte)'n':
                Literal(json, pos, "null"u8);
                TokenType = JsonTokenType.Null;
                break;
            case (byte)'-' or (>= (byte)'0' and <= (byte)'9'):
                ScanNumber(json, pos);
                TokenType = JsonTokenType.Number;
                break;
            default:
                throw Error(pos, $"{Describe(json, pos)} is an invalid start of a value");
        }

        _expect = _depth == 0 ? Expect.Done : Expect.CommaOrEnd;
        return true;
    }

    private bool ReadName(ReadOnlySpan<byte> json, int pos)
    {
        if ((uint)pos >= (uint)json.Length || json[pos] != '"')
        {
            throw Error(pos, $"{Describe(json, pos)} is invalid where a property name was expected");
        }

        _tokenStart = pos;
        ScanString(json, pos);
        TokenType = JsonTokenType.PropertyName;
        _nameStart = _valueStart;
        _nameLength = _valueLength;
        NameIsEscaped = ValueIsEscaped;

        // The colon is taken with the name: one dispatch less per member.
        TakeColon(json, _pos);
        return true;
    }

    /// <summary>Reads the colon after a member name that ends at <paramref name="pos"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TakeColon(ReadOnlySpan<byte> json, int pos)
    {
        int colon = SkipSpace(json, pos);
        if ((uint)colon >= (uint)json.Length || json[colon] != ':')
        {
            throw Error(colon, $"{Describe(json, colon)} is invalid after a property name; expected ':'");
        }

        _pos = colon + 1;
        _expect = Expect.MemberValue;
    }

    private bool EndContainer(int pos, JsonTokenType token)
    {
        _depth--;
        _tokenStart = pos;
        _valueStart = pos;
        _valueLength = 1;
        _pos = pos + 1;
        ValueIsEscaped = false;
        TokenType = token;
        _expect = _depth == 0 ? Expect.Done : Expect.CommaOrEnd;
        return true;
    }

    private void Push(int pos, bool array)
    {
        if (_depth >= MaxDepth)
        {
            throw Error(pos, $"The record nests deeper than {MaxDepth} levels");
        }

        ulong bit = 1UL << _depth;
        _arrays = array ? _arrays | bit : _arrays & ~bit;
        _depth++;
        _valueStart = pos;
        _valueLength = 1;
        _pos = pos + 1;
        ValueIsEscaped = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ScanString(ReadOnlySpan<byte> json, int quote)
    {
        int start = quote + 1;
        int run = IndexOfStringStop(json, start);
        if (run >= 0 && json[start + run] == '"')
        {
            _valueStart = start;
            _valueLength = run;
            _pos = start + run + 1;
            ValueIsEscaped = false;
            return;
        }

        ScanEscapedString(json, start, run);
    }

    /// <summary>The rest of a string whose first stop was not its closing quote.</summary>
    private void ScanEscapedString(ReadOnlySpan<byte> json, int start, int run)
    {
        bool escaped = false;
        int at = start + run;
        while (true)
        {
            if (run < 0)
            {
                throw Error(json.Length, "The record ends inside a string");
            }

            byte c = json[at];
            if (c == '"')
            {
                break;
            }

            if (c >= 0x80)
            {
                at = SkipUtf8Sequence(json, at);
                run = IndexOfStringStop(json, at);
                at += run;
                continue;
            }

            if (c == '\n' && _oneLine)
            {
                throw Error(at, "The line ends inside a string");
            }

            if (c != '\\')
            {
                throw Error(at, $"The control character 0x{c:X2} must be escaped inside a string");
            }

            escaped = true;
            at = SkipEscape(json, at);
            run = IndexOfStringStop(json, at);
            at += run;
        }

        _valueStart = start;
        _valueLength = at - start;
        _pos = at + 1;
        ValueIsEscaped = escaped;
    }

    /// <summary>
    /// How far from <paramref name="from"/> the next quote, backslash, control character or non-ASCII byte
    /// is, or -1.
    /// Most strings in a record are names and identifiers shorter than one vector, so one compare finds
    /// their end; this is inline rather than <see cref="MemoryExtensions.IndexOfAny{T}(ReadOnlySpan{T}, SearchValues{T})"/>
    /// because the call and its setup cost more than the compare.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfStringStop(ReadOnlySpan<byte> json, int from)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte origin = ref MemoryMarshal.GetReference(json);
            int i = from;
            for (; i <= json.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref origin, (nuint)i);
                Vector256<byte> stops = Vector256.Equals(v, Vector256.Create((byte)'"'))
                    | Vector256.Equals(v, Vector256.Create((byte)'\\'))
                    | Vector256.Equals(Vector256.Min(v, Vector256.Create((byte)0x1f)), v);
                // A byte's top bit marks a multi-byte UTF-8 sequence: a stop too.
                uint bits = (stops | v).ExtractMostSignificantBits();
                if (bits != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bits) - from;
                }
            }

            return TailIndexOfStringStop(json, i, from);
        }

        return json[from..].IndexOfAny(StringStops);
    }

    private static int TailIndexOfStringStop(ReadOnlySpan<byte> json, int i, int from)
    {
        int run = json[i..].IndexOfAny(StringStops);
        return run < 0 ? -1 : i + run - from;
    }

    /// <summary>
    /// Checks the multi-byte UTF-8 sequence at <paramref name="lead"/> (strictly: no overlong forms,
    /// surrogates or code points above U+10FFFF) and returns the index after it. Strings are the only
    /// place JSON allows such bytes, so checking them here checks the whole record: JSON Lines input is
    /// not checked again before it is parsed.
    /// </summary>
    private static int SkipUtf8Sequence(ReadOnlySpan<byte> json, int lead)
    {
        OperationStatus status = Rune.DecodeFromUtf8(json[lead..], out _, out int consumed);
        if (status != OperationStatus.Done)
        {
            throw new NotUtf8Exception(status == OperationStatus.NeedMoreData
                ? "The record ends inside a UTF-8 sequence"
                : $"Byte 0x{json[lead]:X2} starts no valid UTF-8 sequence: the text is not UTF-8", lead);
        }

        return lead + consumed;
    }

    /// <summary>Checks the escape at <paramref name="backslash"/> and returns the index after it.</summary>
    private static int SkipEscape(ReadOnlySpan<byte> json, int backslash)
    {
        int at = backslash + 1;
        if (at >= json.Length)
        {
            throw Error(at, "The record ends inside a string");
        }

        switch (json[at])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return at + 1;
            case (byte)'u':
                for (int i = 1; i <= 4; i++)
                {
                    if (at + i >= json.Length || !char.IsAsciiHexDigit((char)json[at + i]))
                    {
                        throw Error(Math.Min(at + i, json.Length), "A \\u escape needs four hexadecimal digits");
                    }
                }

                return at + 5;
            default:
                throw Error(at, $"{Describe(json, at)} cannot follow a backslash in a string");
        }
    }

    private void ScanNumber(ReadOnlySpan<byte> json, int start)
    {
        int p = start;
        if (json[p] == '-')
        {
            p++;
        }

        if (p >= json.Length || !char.IsAsciiDigit((char)json[p]))
        {
            throw Error(p, "A number needs a digit after its sign");
        }

        if (json[p++] != '0')
        {
            p = SkipDigits(json, p);
        }

        if (p < json.Length && json[p] == '.')
        {
            int digits = ++p;
            p = SkipDigits(json, p);
            if (p == digits)
            {
                throw Error(p, "A number needs a digit after its decimal point");
            }
        }

        if (p < json.Length && (json[p] | 0x20) == 'e')
        {
            p++;
            if (p < json.Length && json[p] is (byte)'+' or (byte)'-')
            {
                p++;
            }

            int digits = p;
            p = SkipDigits(json, p);
            if (p == digits)
            {
                throw Error(p, "A number needs a digit in its exponent");
            }
        }

        if (p < json.Length && json[p] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            throw Error(p, $"{Describe(json, p)} is invalid within or right after a number");
        }

        _valueStart = start;
        _valueLength = p - start;
        _pos = p;
        ValueIsEscaped = false;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int p)
    {
        while (p < json.Length && char.IsAsciiDigit((char)json[p]))
        {
            p++;
        }

        return p;
    }

    private void Literal(ReadOnlySpan<byte> json, int pos, ReadOnlySpan<byte> literal)
    {
        if (!json[pos..].StartsWith(literal))
        {
            throw Error(pos, $"Expected '{Encoding.ASCII.GetString(literal)}'");
        }

        _valueStart = pos;
        _valueLength = literal.Length;
        _pos = pos + literal.Length;
        ValueIsEscaped = false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int SkipSpace(ReadOnlySpan<byte> json, int pos) =>
        (uint)pos < (uint)json.Length && json[pos] > (byte)' ' ? pos : SkipSpaceSlow(json, pos, _oneLine);

    private static int SkipSpaceSlow(ReadOnlySpan<byte> json, int pos, bool oneLine)
    {
        while ((uint)pos < (uint)json.Length && (json[pos] is (byte)' ' or (byte)'\r' or (byte)'\t' || (json[pos] == '\n' && !oneLine)))
        {
            pos++;
        }

        return pos;
    }

    private static string Describe(ReadOnlySpan<byte> json, int pos) =>
        pos >= json.Length ? "The end of the record" : json[pos] is >= 0x20 and < 0x7f ? $"'{(char)json[pos]}'" : $"Byte 0x{json[pos]:X2}";

    private static JsonException Error(int pos, string message) => new(message + ".", path: null, lineNumber: null, bytePositionInLine: pos);
}

/// <summary>The record's bytes are not UTF-8 (<see cref="JsonScanner"/> checks them in strings, the
/// only place JSON allows other than ASCII).</summary>
internal sealed class NotUtf8Exception(string message, int pos)
    : JsonException(message + ".", path: null, lineNumber: null, bytePositionInLine: pos);
