using System.Text;
using System.Text.Json;
using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Readers for the nested members the schemas define (UAL <c>Folders</c>, <c>OperationProperties</c>,
/// <c>AppAccessContext</c>, <c>Parameters</c>...; sign-in <c>status</c>, <c>location</c>...). Each takes the
/// member's JSON text and throws <see cref="JsonException"/> when it is malformed.
/// </summary>
internal static class NestedValues
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    public static void ReadOperationProperties(ReadOnlySpan<byte> json, Utf8StringPool pool, out MailAccessType accessType, out bool throttled)
    {
        accessType = MailAccessType.Unknown;
        throttled = false;
        foreach (NamedValue pair in ReadNameValues(json, pool))
        {
            if (pair.Name.Equals("MailAccessType", StringComparison.OrdinalIgnoreCase))
            {
                accessType = pair.Value switch
                {
                    _ when "Bind".Equals(pair.Value, StringComparison.OrdinalIgnoreCase) => MailAccessType.Bind,
                    _ when "Sync".Equals(pair.Value, StringComparison.OrdinalIgnoreCase) => MailAccessType.Sync,
                    _ => MailAccessType.Unknown,
                };
            }
            else if (pair.Name.Equals("IsThrottled", StringComparison.OrdinalIgnoreCase))
            {
                throttled = "True".Equals(pair.Value, StringComparison.OrdinalIgnoreCase) || pair.Value == "1";
            }
        }
    }

    /// <summary>Name/value pairs written as <c>[{"Name":..,"Value":..}]</c> or as one object.</summary>
    public static List<NamedValue> ReadNameValues(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<NamedValue>();
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString() ?? string.Empty;
                reader.Read();
                result.Add(new NamedValue(name, Scalar(ref reader, pool)));
            }

            return result;
        }

        ExpectArray(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? name = null;
            string? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (NameIs(ref reader, "name"u8))
                {
                    reader.Read();
                    name = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "value"u8))
                {
                    reader.Read();
                    value = Scalar(ref reader, pool);
                }
                else
                {
                    reader.Read();
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

    public static List<AccessedFolder> ReadFolders(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var folders = new List<AccessedFolder>();
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        ExpectArray(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? path = null;
            string? id = null;
            List<string>? items = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (NameIs(ref reader, "path"u8))
                {
                    reader.Read();
                    path = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "id"u8))
                {
                    reader.Read();
                    id = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "folderitems"u8))
                {
                    reader.Read();
                    items = ReadFolderItems(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            folders.Add(new AccessedFolder(path, id, (IReadOnlyList<string>?)items ?? []));
        }

        return folders;
    }

    private static List<string>? ReadFolderItems(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool wanted = NameIs(ref reader, "internetmessageid"u8);
                reader.Read();
                if (wanted && reader.TokenType == JsonTokenType.String)
                {
                    ids.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return ids;
    }

    /// <summary>The members of UAL <c>AppAccessContext</c> that join mail access to sign-ins.</summary>
    public readonly record struct AppAccessContext(string? AadSessionId, string? UniqueTokenId, string? CorrelationId, string? ClientAppId, DateTime? IssuedAt);

    public static AppAccessContext ReadAppAccessContext(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        string? session = null, token = null, correlation = null, clientApp = null;
        DateTime? issued = null;
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (NameIs(ref reader, "aadsessionid"u8))
            {
                reader.Read();
                session = NonEmpty(Scalar(ref reader, pool));
            }
            else if (NameIs(ref reader, "uniquetokenid"u8))
            {
                reader.Read();
                token = NonEmpty(Scalar(ref reader, pool));
            }
            else if (NameIs(ref reader, "correlationid"u8))
            {
                reader.Read();
                correlation = NonEmpty(Scalar(ref reader, pool));
            }
            else if (NameIs(ref reader, "clientappid"u8))
            {
                reader.Read();
                clientApp = NonEmpty(Scalar(ref reader, pool));
            }
            else if (NameIs(ref reader, "issuedattime"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && ValueParsers.TryParseTime(reader.ValueSpan, out DateTime t))
                {
                    issued = t;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new AppAccessContext(session, token, correlation, clientApp, issued);
    }

    public static List<ModifiedProperty> ReadModifiedProperties(ReadOnlySpan<byte> json, Utf8StringPool pool)
    {
        var result = new List<ModifiedProperty>();
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        ExpectArray(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? name = null, oldValue = null, newValue = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (NameIs(ref reader, "name"u8))
                {
                    reader.Read();
                    name = Scalar(ref reader, pool);
                }
                else if (NameIs(ref reader, "oldvalue"u8))
                {
                    reader.Read();
                    oldValue = Scalar(ref reader, pool, pooled: false);
                }
                else if (NameIs(ref reader, "newvalue"u8))
                {
                    reader.Read();
                    newValue = Scalar(ref reader, pool, pooled: false);
                }
                else
                {
                    reader.Read();
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
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        ExpectArray(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool wanted = NameIs(ref reader, "id"u8);
                reader.Read();
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
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        ExpectArray(ref reader);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Scalar(ref reader, pool) is { } s)
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>Selected members of a flat object such as sign-in <c>status</c> or <c>location</c>;
    /// <paramref name="names"/> are lower-case, and the result is in the same order.</summary>
    public static string?[] ReadObjectMembers(ReadOnlySpan<byte> json, Utf8StringPool pool, params ReadOnlySpan<string> names)
    {
        string?[] values = new string?[names.Length];
        var reader = new Utf8JsonReader(json, Options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return values;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index = -1;
            string name = reader.GetString() ?? string.Empty;
            for (int i = 0; i < names.Length; i++)
            {
                if (name.Equals(names[i], StringComparison.OrdinalIgnoreCase))
                {
                    index = i;
                    break;
                }
            }

            reader.Read();
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

    /// <summary>An empty identifier is no identifier: kept as "", it would join every other empty one.</summary>
    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void ExpectArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected a JSON array, found {reader.TokenType}.");
        }
    }

    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> lowerName)
    {
        if (!reader.ValueIsEscaped)
        {
            return Ascii.EqualsIgnoreCase(reader.ValueSpan, lowerName);
        }

        string name = reader.GetString() ?? string.Empty;
        return Ascii.EqualsIgnoreCase(Encoding.UTF8.GetBytes(name), lowerName);
    }

    /// <summary>A scalar as text (numbers and booleans as written); objects and arrays are skipped.</summary>
    private static string? Scalar(ref Utf8JsonReader reader, Utf8StringPool pool, bool pooled = true)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when !reader.ValueIsEscaped:
            case JsonTokenType.Number:
                return pooled ? pool.Get(reader.ValueSpan) : Encoding.UTF8.GetString(reader.ValueSpan);
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
