using System.Text;
using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Readers for the nested members the schemas define (UAL <c>OperationProperties</c>,
/// <c>AppAccessContext</c>, <c>Parameters</c>...; sign-in <c>status</c>, <c>location</c>...; UAL
/// <c>Folders</c> has its own, <see cref="FolderReader"/>). The hot ones read from a scanner positioned
/// on the value's first token, so that <see cref="RecordFields"/> can parse them in its single pass; each
/// also reads from JSON text (for exports that flatten them into strings). All throw
/// <see cref="JsonException"/> when the JSON is malformed.
/// </summary>
internal static class NestedValues
{
    private const int PooledEscapedMaxLength = 256;

    /// <summary>The members of UAL <c>AppAccessContext</c> that join mail access to sign-ins;
    /// <c>ClientAppIdSkipped</c> says it has a <c>ClientAppId</c> that was not read (see
    /// <see cref="ReadAppAccessContext(ref JsonScanner, Utf8StringPool, MemberOrder, bool)"/>).</summary>
    public readonly record struct AppAccessContext(Identifier AadSessionId, string? UniqueTokenId, Identifier CorrelationId, string? ClientAppId, DateTime? IssuedAt, bool ClientAppIdSkipped = false);

    /// <summary><c>OperationProperties</c> of a mail access: how folders were touched and whether audit throttled.</summary>
    public readonly record struct MailAccessProperties(MailAccessType AccessType, bool Throttled);

    public static MailAccessProperties ReadOperationProperties(ReadOnlySpan<byte> json)
    {
        var reader = Start(json);
        return ReadOperationProperties(ref reader, NewNameValueOrder());
    }

    /// <summary>Reads <c>[{"Name":..,"Value":..}]</c> (or one object of name: value) for the two names a mail
    /// access needs, comparing bytes: it runs for every mail access record. <paramref name="order"/> (from
    /// <see cref="NewNameValueOrder"/>, one per worker) learns the order of <c>Name</c> and <c>Value</c>.</summary>
    public static MailAccessProperties ReadOperationProperties(ref JsonScanner reader, MemberOrder order)
    {
        MailAccessType accessType = MailAccessType.Unknown;
        bool throttled = false;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (NextMember(ref reader))
            {
                bool isType = NameIs(ref reader, "MailAccessType"u8);
                bool isThrottled = !isType && NameIs(ref reader, "IsThrottled"u8);
                Apply(ref reader, isType, isThrottled, ref accessType, ref throttled);
            }

            return new MailAccessProperties(accessType, throttled);
        }

        ExpectArray(ref reader);
        while (NextObject(ref reader))
        {
            int kind = 0;
            bool haveValue = false;
            MailAccessType pendingType = MailAccessType.Unknown;
            bool pendingThrottled = false;
            int member = MemberOrder.AtStart;
            while (order.Next(ref reader, ref member, out int which))
            {
                if (which == NameMember)
                {
                    kind = reader.TokenType == JsonTokenType.String
                        ? ValueIs(ref reader, "MailAccessType"u8) ? 1 : ValueIs(ref reader, "IsThrottled"u8) ? 2 : 0
                        : SkipValue(ref reader);
                }
                else if (which == ValueMember)
                {
                    // The name usually comes first and says which reading of the value counts.
                    haveValue = true;
                    if (kind != 2)
                    {
                        pendingType = ValueIs(ref reader, "Bind"u8) ? MailAccessType.Bind : ValueIs(ref reader, "Sync"u8) ? MailAccessType.Sync : MailAccessType.Unknown;
                    }

                    if (kind != 1)
                    {
                        pendingThrottled = ValueIs(ref reader, "True"u8) || ValueIs(ref reader, "1"u8) || reader.TokenType == JsonTokenType.True;
                    }

                    SkipValue(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (haveValue && kind == 1)
            {
                accessType = pendingType;
            }
            else if (haveValue && kind == 2)
            {
                throttled = pendingThrottled;
            }
        }

        return new MailAccessProperties(accessType, throttled);
    }

    private static void Apply(ref JsonScanner reader, bool isType, bool isThrottled, ref MailAccessType accessType, ref bool throttled)
    {
        if (isType)
        {
            accessType = ValueIs(ref reader, "Bind"u8) ? MailAccessType.Bind : ValueIs(ref reader, "Sync"u8) ? MailAccessType.Sync : MailAccessType.Unknown;
        }
        else if (isThrottled)
        {
            throttled = ValueIs(ref reader, "True"u8) || ValueIs(ref reader, "1"u8) || reader.TokenType == JsonTokenType.True;
        }

        SkipValue(ref reader);
    }

    /// <summary>Name/value pairs written as <c>[{"Name":..,"Value":..}]</c> or as one object.</summary>
    public static List<NamedValue> ReadNameValues(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<NamedValue>();
        var reader = Start(json);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (NextMember(ref reader))
            {
                string name = reader.GetName();
                result.Add(new NamedValue(name, Scalar(ref reader, pool)));
            }

            return result;
        }

        ExpectArray(ref reader);
        while (NextObject(ref reader))
        {
            string? name = null;
            string? value = null;
            while (NextMember(ref reader))
            {
                if (NameIs(ref reader, "Name"u8))
                {
                    name = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "Value"u8))
                {
                    value = Scalar(ref reader, pool);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (name is not null)
            {
                result.Add(new NamedValue(name, value));
            }
        }

        return result;
    }

    // Positions in the MemberOrders below.
    private const int AadSessionIdMember = 0, IssuedAtTimeMember = 1, UniqueTokenIdMember = 2, CorrelationIdMember = 3, ClientAppIdMember = 5;
    private const int NameMember = 0, ValueMember = 1;

    /// <summary>The members of <c>AppAccessContext</c>, for <see cref="ReadAppAccessContext(ref JsonScanner, Utf8StringPool, MemberOrder, bool)"/>.</summary>
    public static MemberOrder NewAppAccessOrder() => new("AADSessionId", "IssuedAtTime", "UniqueTokenId", "CorrelationId", "APIId", "ClientAppId");

    /// <summary>The members of an <c>OperationProperties</c> entry, for <see cref="ReadOperationProperties(ref JsonScanner, MemberOrder)"/>.</summary>
    public static MemberOrder NewNameValueOrder() => new("Name", "Value");

    public static AppAccessContext ReadAppAccessContext(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var reader = Start(json);
        return ReadAppAccessContext(ref reader, pool, NewAppAccessOrder());
    }

    /// <summary>Reads <c>AppAccessContext</c>; <paramref name="order"/> (from <see cref="NewAppAccessOrder"/>,
    /// one per worker) learns the order its members come in. Without <paramref name="wantClientAppId"/> its
    /// <c>ClientAppId</c> is skipped: the record's own, when it has one, is the one kept.</summary>
    public static AppAccessContext ReadAppAccessContext(ref JsonScanner reader, Utf8StringPool pool, MemberOrder order, bool wantClientAppId = true)
    {
        Identifier session = default, correlation = default;
        string? token = null, clientApp = null;
        DateTime? issued = null;
        bool skipped = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }

        int member = MemberOrder.AtStart;
        while (order.Next(ref reader, ref member, out int which))
        {
            if (which == AadSessionIdMember)
            {
                session = Id(ref reader);
            }
            else if (which == UniqueTokenIdMember)
            {
                token = NonEmpty(Scalar(ref reader, pool, pooled: false));
            }
            else if (which == CorrelationIdMember)
            {
                correlation = Id(ref reader);
            }
            else if (which == ClientAppIdMember && wantClientAppId)
            {
                clientApp = NonEmpty(Scalar(ref reader, pool));
            }
            else if (which == ClientAppIdMember)
            {
                skipped = true;
                reader.Skip();
            }
            else if (which == IssuedAtTimeMember)
            {
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && ValueParsers.TryParseTime(reader.ValueSpan, out DateTime t))
                {
                    issued = t;
                }

                SkipValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return new AppAccessContext(session, token, correlation, clientApp, issued, skipped);
    }

    public static List<ModifiedProperty> ReadModifiedProperties(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<ModifiedProperty>();
        var reader = Start(json);
        ExpectArray(ref reader);
        while (NextObject(ref reader))
        {
            string? name = null, oldValue = null, newValue = null;
            while (NextMember(ref reader))
            {
                if (NameIs(ref reader, "Name"u8))
                {
                    name = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "OldValue"u8))
                {
                    oldValue = Scalar(ref reader, pool, pooled: false);
                }
                else if (NameIs(ref reader, "NewValue"u8))
                {
                    newValue = Scalar(ref reader, pool, pooled: false);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (name is not null)
            {
                result.Add(new ModifiedProperty(name, oldValue, newValue));
            }
        }

        return result;
    }

    /// <summary>UAL <c>Target[].ID</c> (also <c>Actor</c>-shaped arrays).</summary>
    public static List<string> ReadTargets(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<string>();
        var reader = Start(json);
        ExpectArray(ref reader);
        while (NextObject(ref reader))
        {
            while (NextMember(ref reader))
            {
                bool wanted = NameIs(ref reader, "Id"u8);
                if (wanted && Scalar(ref reader, pool) is { } id)
                {
                    result.Add(id);
                }
                else if (!wanted)
                {
                    reader.Skip();
                }
            }
        }

        return result;
    }

    public static List<string> ReadStringArray(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<string>();
        var reader = Start(json);
        ExpectArray(ref reader);
        while (reader.NextElement())
        {
            if (Scalar(ref reader, pool) is { } s)
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>
    /// <see cref="ReadObjectMembers(ReadOnlySpan{byte}, Utf8StringPool, ReadOnlySpan{string})"/> where the
    /// reader is, in the same pass that finds the object's end: the reader is on its start and is left on its
    /// end. ASCII member names are compared as the UTF-8 they are logged in, any case, without making a string.
    /// </summary>
    public static string?[] ReadObjectMembers(ref JsonScanner reader, Utf8StringPool pool, params ReadOnlySpan<string> names)
    {
        string?[] values = new string?[names.Length];
        while (NextMember(ref reader))
        {
            int index = -1;
            ReadOnlySpan<byte> name = reader.NameSpan;
            for (int i = 0; i < names.Length; i++)
            {
                bool same = reader.NameIsEscaped || !System.Text.Ascii.IsValid(name)
                    ? reader.GetName().Equals(names[i], StringComparison.OrdinalIgnoreCase)
                    : System.Text.Ascii.EqualsIgnoreCase(name, names[i]);
                if (same)
                {
                    index = i;
                    break;
                }
            }

            if (index >= 0)
            {
                values[index] = Scalar(ref reader, pool);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    /// <summary>Selected members of a flat object such as sign-in <c>status</c> or <c>location</c>;
    /// <paramref name="names"/> are lower-case, and the result is in the same order.</summary>
    public static string?[] ReadObjectMembers(ReadOnlySpan<byte> json, Utf8StringPool pool, params ReadOnlySpan<string> names)
    {
        var reader = Start(json);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new string?[names.Length];
        }

        return ReadObjectMembers(ref reader, pool, names);
    }

    /// <summary>A string or number as an <see cref="Identifier"/> (a canonical GUID without making a
    /// string); empty, null, objects and arrays are no identifier.</summary>
    internal static Identifier Id(ref JsonScanner reader) => reader.TokenType switch
    {
        JsonTokenType.String when !reader.ValueIsEscaped => Identifier.FromUtf8(reader.ValueSpan),
        JsonTokenType.Number => Identifier.FromUtf8(reader.ValueSpan),
        JsonTokenType.String => Identifier.FromText(reader.GetString()),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.StartObject or JsonTokenType.StartArray => SkipContainer(ref reader),
        _ => default,
    };

    private static Identifier SkipContainer(ref JsonScanner reader)
    {
        reader.Skip();
        return default;
    }

    /// <summary>An empty identifier is no identifier: kept as "", it would join every other empty one.</summary>
    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static JsonScanner Start(ReadOnlySpan<byte> json)
    {
        var reader = new JsonScanner(json);
        reader.Read();
        return reader;
    }

    /// <summary>Moves to the next object of the array the reader is in, skipping other values;
    /// false at the array's end.</summary>
    internal static bool NextObject(ref JsonScanner reader)
    {
        while (reader.NextElement())
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Moves to the next member of the object the reader is in, onto its value; false at its end.</summary>
    internal static bool NextMember(ref JsonScanner reader) => reader.NextMember();

    private static int SkipValue(ref JsonScanner reader)
    {
        reader.Skip();
        return 0;
    }

    private static void ExpectArray(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a JSON array, found {reader.TokenType}.");
        }
    }

    /// <summary>True when the current member's name equals <paramref name="name"/> ignoring ASCII case; the
    /// vendor's own casing, which <paramref name="name"/> is written in, is tried first because it is the rule.</summary>
    internal static bool NameIs(ref JsonScanner reader, ReadOnlySpan<byte> name) =>
        reader.NameIsEscaped ? TextIs(reader.GetName(), name) : TextIs(reader.NameSpan, name);

    /// <summary>True when the current token is a string (or number) equal to <paramref name="text"/>, ignoring ASCII case.</summary>
    private static bool ValueIs(ref JsonScanner reader, ReadOnlySpan<byte> text) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.Number
        && (reader.ValueIsEscaped ? TextIs(reader.GetString(), text) : TextIs(reader.ValueSpan, text));

    private static bool TextIs(ReadOnlySpan<byte> value, ReadOnlySpan<byte> expected) =>
        value.Length == expected.Length && (value.SequenceEqual(expected) || Ascii.EqualsIgnoreCase(value, expected));

    private static bool TextIs(string value, ReadOnlySpan<byte> expected) => TextIs(Encoding.UTF8.GetBytes(value), expected);

    /// <summary>A scalar as text (numbers and booleans as written); objects and arrays are skipped.</summary>
    internal static string? Scalar(ref JsonScanner reader, Utf8StringPool pool, bool pooled = true)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when !reader.ValueIsEscaped:
            case JsonTokenType.Number:
                return pooled ? pool.Get(reader.ValueSpan) : Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.String when pooled && reader.ValueSpan.Length <= PooledEscapedMaxLength:
                // Folder paths are escaped in every record ("\\Inbox"): kept by their raw text, so that
                // each is unescaped once.
                Utf8StringPool escaped = pool.Escaped;
                if (escaped.TryGet(reader.ValueSpan, out string? known))
                {
                    return known;
                }

                Span<byte> unescaped = stackalloc byte[PooledEscapedMaxLength];
                string value = pool.Get(unescaped[..reader.CopyString(unescaped)]);
                escaped.Add(reader.ValueSpan, value);
                return value;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return null;
        }
    }
}
