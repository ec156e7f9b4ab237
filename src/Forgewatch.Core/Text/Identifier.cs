using System.Buffers.Text;
using System.Text;

namespace Forgewatch.Core.Text;

/// <summary>
/// An identifier from a log (record id, session id, correlation id), held without a string when it is a
/// GUID written the canonical way (36 lower-case characters with hyphens, as Microsoft 365 writes them):
/// then its 16 bytes are kept and the text is made, exactly as logged, only when asked for. Any other
/// text is kept as given. Audit records carry several such ids each; most are never shown, and making
/// them all into strings was a fifth of what reading allocated. Empty (<c>default</c>) means no id.
/// </summary>
public readonly struct Identifier : IEquatable<Identifier>
{
    private const int GuidLength = 36;

    /// <summary>Stands in <see cref="_text"/> for "kept as a GUID", so the struct is a reference and a GUID.</summary>
    private static readonly string GuidMarker = new('g', 1);

    private readonly string? _text;
    private readonly Guid _guid;

    private Identifier(Guid guid)
    {
        _guid = guid;
        _text = GuidMarker;
    }

    private Identifier(string text) => _text = text;

    private bool IsGuid => ReferenceEquals(_text, GuidMarker);

    /// <summary>True when there is no identifier (absent or empty in the log).</summary>
    public bool IsEmpty => _text is null;

    /// <summary>An identifier from text; null or empty text is no identifier.</summary>
    public static Identifier FromText(string? text) => string.IsNullOrEmpty(text) ? default : new Identifier(text);

    /// <summary>An identifier from UTF-8 text as logged: a canonical GUID is kept as its value, other text
    /// is decoded; empty text is no identifier.</summary>
    public static Identifier FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        if (utf8.Length == GuidLength
            && !utf8.ContainsAnyInRange((byte)'A', (byte)'Z')
            && Utf8Parser.TryParse(utf8, out Guid guid, out int consumed, 'D')
            && consumed == GuidLength)
        {
            return new Identifier(guid);
        }

        return new Identifier(Encoding.UTF8.GetString(utf8));
    }

    public static implicit operator Identifier(string? text) => FromText(text);

    /// <summary>The GUID, when the identifier was kept as one.</summary>
    public bool TryGetGuid(out Guid value)
    {
        value = _guid;
        return IsGuid;
    }

    /// <summary>The identifier's text exactly as logged; null when empty. Made anew on each call for a
    /// GUID: callers that need it often keep it.</summary>
    public string? Text => IsGuid ? _guid.ToString("D") : _text;

    public override string ToString() => Text ?? string.Empty;

    /// <summary>Equal when the texts are equal (ordinal): a GUID kept as a value equals its canonical text.</summary>
    public bool Equals(Identifier other)
    {
        if (IsGuid && other.IsGuid)
        {
            return _guid == other._guid;
        }

        if (!IsGuid && !other.IsGuid)
        {
            return string.Equals(_text, other._text, StringComparison.Ordinal);
        }

        // One kept as a GUID, the other as text: only equal if the text is that GUID's canonical form,
        // which FromUtf8 would have kept as a GUID; FromText keeps any text as text.
        return string.Equals(Text, other.Text, StringComparison.Ordinal);
    }

    public override bool Equals(object? obj) => obj is Identifier other && Equals(other);

    public override int GetHashCode() => IsGuid
        ? _guid.GetHashCode()
        : _text is null ? 0 : IsCanonicalGuid(_text, out Guid guid) ? guid.GetHashCode() : StringComparer.Ordinal.GetHashCode(_text);

    public static bool operator ==(Identifier left, Identifier right) => left.Equals(right);

    public static bool operator !=(Identifier left, Identifier right) => !left.Equals(right);

    private static bool IsCanonicalGuid(string text, out Guid guid)
    {
        guid = default;
        return text.Length == GuidLength && !text.AsSpan().ContainsAnyInRange('A', 'Z') && Guid.TryParseExact(text, "D", out guid);
    }
}
