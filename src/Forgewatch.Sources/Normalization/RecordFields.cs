using System.Runtime.CompilerServices;
using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// The top-level members of one JSON record, located in a single scan (<see cref="JsonScanner"/>) and read on demand:
/// a slot per <see cref="Field"/> holds where the value sits in the record's bytes, so nothing is decoded
/// or allocated for members no schema asks for. Reused across records by one worker; not thread-safe.
/// </summary>
internal sealed class RecordFields
{
    private const int MaxNameLength = 128;
    private readonly Slot[] _slots = new Slot[(int)Field.Count];
    private readonly RecentValues _recent = new((int)Field.Count);
    private readonly RecordShape _shape = new();
    private readonly Utf8StringPool _pool;
    private byte[] _buffer = [];
    private byte[] _scratch = new byte[1024];
    private byte[] _nestedScratch = new byte[1024];

    // A field rather than a stackalloc in Load: a method with stackalloc and loops is compiled once, fully
    // optimized but without the profile-guided tier (no inlining or layout from what the records really hold).
    private readonly byte[] _nameBuffer = new byte[MaxNameLength];

    private readonly FolderReader _folderReader;
    private readonly MemberOrder _appAccessOrder = NestedValues.NewAppAccessOrder();
    private readonly MemberOrder _operationPropertyOrder = NestedValues.NewNameValueOrder();
    private readonly KnownValues<NestedValues.MailAccessProperties> _knownOperationProperties = new();
    private readonly KnownValues<string?[]> _knownStatus = new(capacity: 8, maxLength: 512);
    private readonly KnownValues<string?[]> _knownLocation = new(capacity: 16, maxLength: 512);
    private readonly KnownValues<string?[]> _knownDevice = new(capacity: 16, maxLength: 512);

    public RecordFields(Utf8StringPool pool)
    {
        _pool = pool;
        _folderReader = new FolderReader(pool);
    }

    /// <summary>
    /// Locates the members of the JSON object in <paramref name="buffer"/>[start..start+length]. With
    /// <paramref name="oneLine"/> (JSON Lines) the object must end on its line and may be followed by
    /// more lines; <see cref="Length"/> then tells where it ended. Throws <see cref="JsonException"/> on
    /// malformed JSON; returns false when the value is not an object.
    /// </summary>
    public bool Load(byte[] buffer, int start, int length, bool oneLine = false)
    {
        Array.Clear(_slots);
        Folders = null;
        AppAccess = null;
        MailProperties = null;
        SignInStatus = null;
        SignInLocation = null;
        SignInDevice = null;
        Length = -1;
        _buffer = buffer;
        var reader = new JsonScanner(buffer.AsSpan(start, length), oneLine);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Span<byte> nameBuffer = _nameBuffer;
        _shape.BeginRecord();
        while (reader.NextMember(_shape.ExpectedMember, out bool expected))
        {
            Field field = expected ? _shape.TakeExpected(ref reader) : _shape.Lookup(ref reader, nameBuffer);
            ref Slot slot = ref _slots[(int)field];
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    int begin = reader.TokenStartIndex;
                    JsonTokenType startToken = reader.TokenType;
                    ReadOrSkipNested(ref reader, field);
                    slot = new Slot(start + begin, reader.BytesConsumed - begin, startToken, false);
                    break;
                case JsonTokenType.String:
                    slot = new Slot(start + reader.TokenStartIndex + 1, reader.ValueSpan.Length, JsonTokenType.String, reader.ValueIsEscaped);
                    break;
                case JsonTokenType.Number:
                    slot = new Slot(start + reader.TokenStartIndex, reader.ValueSpan.Length, JsonTokenType.Number, false);
                    break;
                default:
                    slot = new Slot(0, 0, reader.TokenType, false);
                    break;
            }
        }

        int end = reader.BytesConsumed;

        // Anything after the closing brace but whitespace (up to the line end) is not one record.
        if (reader.Read())
        {
            throw new JsonException($"Unexpected data after the record's closing brace at byte {reader.TokenStartIndex}.");
        }

        Length = end;
        _shape.EndRecord(buffer.AsSpan(start, end));
        _slots[(int)Field.None] = default;
        return true;
    }

    /// <summary>The bytes the last loaded object took, from its start to its closing brace; -1 when
    /// it was not an object.</summary>
    public int Length { get; private set; }

    /// <summary><c>Folders</c>, parsed during <see cref="Load"/> when it was a JSON array.</summary>
    public AccessedFolder[]? Folders { get; private set; }

    /// <summary><c>AppAccessContext</c>, parsed during <see cref="Load"/> when it was a JSON object.</summary>
    public NestedValues.AppAccessContext? AppAccess { get; private set; }

    /// <summary><c>OperationProperties</c>, parsed during <see cref="Load"/> when it was JSON, not text.</summary>
    public NestedValues.MailAccessProperties? MailProperties { get; private set; }

    /// <summary>Sign-in <c>status</c> members <see cref="SignInStatusMembers"/>, read during <see cref="Load"/>
    /// when it was a JSON object.</summary>
    public string?[]? SignInStatus { get; private set; }

    /// <summary>Sign-in <c>location</c> members <see cref="SignInLocationMembers"/>, read during <see cref="Load"/>.</summary>
    public string?[]? SignInLocation { get; private set; }

    /// <summary>Sign-in <c>deviceDetail</c> members <see cref="SignInDeviceMembers"/>, read during <see cref="Load"/>.</summary>
    public string?[]? SignInDevice { get; private set; }

    public static readonly string[] SignInStatusMembers = ["errorcode"];

    public static readonly string[] SignInLocationMembers = ["countryorregion", "city"];

    public static readonly string[] SignInDeviceMembers = ["operatingsystem", "browser", "deviceid"];

    private string?[] ReadKnownObject(ref JsonScanner reader, KnownValues<string?[]> known, string[] members)
    {
        if (known.TryTake(ref reader, out string?[] values))
        {
            return values;
        }

        int begin = reader.TokenStartIndex;
        values = NestedValues.ReadObjectMembers(ref reader, _pool, members);
        known.Add(reader.TextFrom(begin), values);
        return values;
    }

    /// <summary>
    /// The members every mail access has are parsed where the tokenizer finds them rather than skipped and
    /// parsed again: they are most of a MailItemsAccessed record's bytes, and a second pass over them
    /// cost a third of the reading time.
    /// </summary>
    private void ReadOrSkipNested(ref JsonScanner reader, Field field)
    {
        switch (field)
        {
            case Field.Folders when reader.TokenType == JsonTokenType.StartArray:
                Folders = _folderReader.Read(ref reader);
                break;
            case Field.AppAccessContext when reader.TokenType == JsonTokenType.StartObject:
                // Its ClientAppId only stands in for the record's (see UalRecordBuilder): not decoded when
                // the record's came first, as Microsoft 365 writes them.
                AppAccess = NestedValues.ReadAppAccessContext(ref reader, _pool, _appAccessOrder, wantClientAppId: !HasText(Field.ClientAppId));
                break;
            case Field.OperationProperties:
                if (!_knownOperationProperties.TryTake(ref reader, out NestedValues.MailAccessProperties properties))
                {
                    int begin = reader.TokenStartIndex;
                    properties = NestedValues.ReadOperationProperties(ref reader, _operationPropertyOrder);
                    _knownOperationProperties.Add(reader.TextFrom(begin), properties);
                }

                MailProperties = properties;
                break;
            // A sign-in's nested objects repeat from record to record (a user's device, office, success):
            // a known one is skipped with one comparison, a new one read in the pass that finds its end.
            case Field.Status when reader.TokenType == JsonTokenType.StartObject:
                SignInStatus = ReadKnownObject(ref reader, _knownStatus, SignInStatusMembers);
                break;
            case Field.Location when reader.TokenType == JsonTokenType.StartObject:
                SignInLocation = ReadKnownObject(ref reader, _knownLocation, SignInLocationMembers);
                break;
            case Field.DeviceDetail when reader.TokenType == JsonTokenType.StartObject:
                SignInDevice = ReadKnownObject(ref reader, _knownDevice, SignInDeviceMembers);
                break;
            default:
                reader.Skip();
                break;
        }
    }

    /// <summary>The field of the current member's name, unescaped if need be.</summary>
    internal static Field LookupName(ref JsonScanner reader, scoped Span<byte> nameBuffer)
    {
        if (!reader.NameIsEscaped)
        {
            return FieldNames.Lookup(reader.NameSpan);
        }

        if (reader.NameSpan.Length > nameBuffer.Length)
        {
            return Field.None;
        }

        int n = reader.CopyName(nameBuffer);
        return FieldNames.Lookup(nameBuffer[..n]);
    }

    /// <summary>True when the member is a non-empty string.</summary>
    private bool HasText(Field field)
    {
        ref Slot slot = ref _slots[(int)field];
        return slot.Token == JsonTokenType.String && slot.Length > 0;
    }

    public bool Has(Field field) => _slots[(int)field].Token is not JsonTokenType.None and not JsonTokenType.Null;

    /// <summary>The value as a string: strings unescaped, numbers and booleans as their JSON text,
    /// objects and arrays as null. With <paramref name="pooled"/>, a value met lately in this field
    /// returns the same string (see <see cref="RecentValues"/>); pass false for values that are all
    /// different, where remembering them only costs.</summary>
    public string? GetString(Field field, bool pooled = true)
    {
        ReadOnlySpan<byte> raw = GetScalarUtf8(field);
        if (raw.IsEmpty)
        {
            return _slots[(int)field].Token == JsonTokenType.String ? string.Empty : null;
        }

        if (!pooled)
        {
            return System.Text.Encoding.UTF8.GetString(raw);
        }

        // Most fields repeat a few values (same tenant, workload, application, client): reuse their strings.
        return _recent.Get((int)field, raw);
    }

    /// <summary>
    /// The value as a string, or null when it is absent or empty. For identifiers and other header values an
    /// empty string is no value: an empty session id kept as "" would join every other empty session id, and
    /// would hide a fallback (the envelope's correlationId behind an empty one in the sign-in).
    /// </summary>
    public string? GetNonEmptyString(Field field, bool pooled = true) => GetString(field, pooled) is { Length: > 0 } s ? s : null;

    /// <summary>
    /// Like <see cref="GetNonEmptyString(Field, bool)"/>, but returns <paramref name="sameAs"/> itself when the value is
    /// the same text: records repeat a value across members (the mailbox owner is the user, the client app
    /// the app, the session the token's session), and one string serves both.
    /// </summary>
    public string? GetNonEmptyString(Field field, string? sameAs, bool pooled = true)
    {
        Slot slot = _slots[(int)field];
        if (sameAs is not null && slot.Token == JsonTokenType.String && !slot.Escaped
            && System.Text.Ascii.Equals(_buffer.AsSpan(slot.Start, slot.Length), sameAs))
        {
            return sameAs.Length == 0 ? null : sameAs;
        }

        return GetNonEmptyString(field, pooled);
    }

    /// <summary>The value's bytes when it is a string without escapes (or a number): the text as logged,
    /// for parsers that need no string.</summary>
    public bool TryGetPlainText(Field field, out ReadOnlySpan<byte> utf8)
    {
        ref Slot slot = ref _slots[(int)field];
        utf8 = slot.IsRawText ? new ReadOnlySpan<byte>(_buffer, slot.Start, slot.Length) : default;
        return slot.IsRawText;
    }

    /// <summary>The value as an <see cref="Identifier"/>: a canonical GUID is kept without making a string;
    /// absent or empty is no identifier.</summary>
    public Identifier GetIdentifier(Field field)
    {
        ref Slot slot = ref _slots[(int)field];
        return slot.IsRawText ? Identifier.FromUtf8(new ReadOnlySpan<byte>(_buffer, slot.Start, slot.Length)) : Identifier.FromText(GetString(field, pooled: false));
    }

    /// <summary>The first of the fields present as a non-empty string.</summary>
    public string? GetFirstString(Field a, Field b, Field c = Field.None, bool pooled = true) =>
        GetString(a, pooled) is { Length: > 0 } first ? first
        : GetString(b, pooled) is { Length: > 0 } second ? second
        : c != Field.None && GetString(c, pooled) is { Length: > 0 } third ? third
        : null;

    public int? GetInt(Field field) =>
        GetScalarUtf8(field) is { IsEmpty: false } raw && ValueParsers.TryParseInt(raw, out int v) ? v : null;

    public bool? GetBool(Field field)
    {
        JsonTokenType token = _slots[(int)field].Token;
        if (token == JsonTokenType.True)
        {
            return true;
        }

        if (token == JsonTokenType.False)
        {
            return false;
        }

        return GetScalarUtf8(field) is { IsEmpty: false } raw && ValueParsers.TryParseBool(raw, out bool b) ? b : null;
    }

    /// <summary>The field as a UTC time; <paramref name="present"/> tells a missing field from a bad one.</summary>
    public DateTime? GetTime(Field field, out bool present)
    {
        ReadOnlySpan<byte> raw = GetScalarUtf8(field);
        present = !raw.IsEmpty;
        return present && ValueParsers.TryParseTime(raw, out DateTime t) ? t : null;
    }

    /// <summary>
    /// The JSON text of a nested object or array. Exports that flatten nested values into strings
    /// (Sentinel's dynamic columns, some collectors) are unescaped and returned as JSON text too.
    /// Empty when absent or not JSON.
    /// </summary>
    public ReadOnlySpan<byte> GetNestedJson(Field field)
    {
        Slot slot = _slots[(int)field];
        if (slot.Token is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return _buffer.AsSpan(slot.Start, slot.Length);
        }

        if (slot.Token == JsonTokenType.String)
        {
            ReadOnlySpan<byte> text = GetScalarUtf8(field).Trim(" \t\r\n"u8);
            if (!text.IsEmpty && (text[0] == '{' || text[0] == '['))
            {
                // Copied aside so that reading other fields while this is parsed cannot overwrite it.
                if (_nestedScratch.Length < text.Length)
                {
                    _nestedScratch = new byte[Math.Max(text.Length, _nestedScratch.Length * 2)];
                }

                text.CopyTo(_nestedScratch);
                return _nestedScratch.AsSpan(0, text.Length);
            }
        }

        return default;
    }

    /// <summary>The value's bytes: inline for the common case (text that needs no unescaping), which
    /// every field read goes through.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> GetScalarUtf8(Field field)
    {
        ref Slot slot = ref _slots[(int)field];
        return slot.IsRawText ? new ReadOnlySpan<byte>(_buffer, slot.Start, slot.Length) : GetOtherScalarUtf8(slot);
    }

    private ReadOnlySpan<byte> GetOtherScalarUtf8(Slot slot) => slot.Token switch
    {
        JsonTokenType.String => Unescape(_buffer.AsSpan(slot.Start - 1, slot.Length + 2)),
        JsonTokenType.True => "true"u8,
        JsonTokenType.False => "false"u8,
        _ => default,
    };

    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> quoted)
    {
        // Unescaping never grows the text; each call gets its own region of the scratch buffer only
        // until the next call, which is all callers need (they decode or parse at once).
        if (_scratch.Length < quoted.Length)
        {
            _scratch = new byte[Math.Max(quoted.Length, _scratch.Length * 2)];
        }

        var reader = new JsonScanner(quoted);
        reader.Read();
        int n = reader.CopyString(_scratch);
        return _scratch.AsSpan(0, n);
    }

    /// <summary>Where a member's value lies in the buffer (<see cref="Start"/> is absolute; for a string,
    /// just after its opening quote).</summary>
    private readonly record struct Slot(int Start, int Length, JsonTokenType Token, bool Escaped)
    {
        /// <summary>The bytes are the value as text: an unescaped string or a number.</summary>
        public bool IsRawText { get; } = Token == JsonTokenType.Number || (Token == JsonTokenType.String && !Escaped);
    }
}
