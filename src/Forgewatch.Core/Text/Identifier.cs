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

    /// <summary>An identifier that is a GUID (its text is the canonical lower-case form).</summary>
    public static Identifier FromGuid(Guid value) => new(value);

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

        if (TryParseCanonical(utf8, out Guid guid))
        {
            return new Identifier(guid);
        }

        return new Identifier(Encoding.UTF8.GetString(utf8));
    }

    /// <summary>Each byte's value as a lower-case hexadecimal digit, or -1.</summary>
    private static readonly sbyte[] LowerHexDigits = MakeLowerHexDigits();

    private static sbyte[] MakeLowerHexDigits()
    {
        var digits = new sbyte[256];
        Array.Fill(digits, (sbyte)-1);
        for (int i = 0; i < 16; i++)
        {
            digits["0123456789abcdef"[i]] = (sbyte)i;
        }

        return digits;
    }

    /// <summary>
    /// Parses <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c> in lower-case hexadecimal and nothing else, in one
    /// pass without calls: a table gives each digit's value, and the 32 values are gathered into the two
    /// halves of the GUID as written. Every audit record carries several GUIDs; the general parser costs
    /// several times more.
    /// </summary>
    private static bool TryParseCanonical(ReadOnlySpan<byte> utf8, out Guid guid)
    {
        guid = default;
        if (utf8.Length != GuidLength || utf8[8] != '-' || utf8[13] != '-' || utf8[18] != '-' || utf8[23] != '-')
        {
            return false;
        }

        sbyte[] digits = LowerHexDigits;
        int invalid = 0;
        ulong high = Gather(utf8[..8], digits, 0, ref invalid);
        high = Gather(utf8[9..13], digits, high, ref invalid);
        high = Gather(utf8[14..18], digits, high, ref invalid);
        ulong low = Gather(utf8[19..23], digits, 0, ref invalid);
        low = Gather(utf8[24..], digits, low, ref invalid);
        if (invalid < 0)
        {
            return false;
        }

        guid = new Guid(
            (int)(high >> 32), (short)(high >> 16), (short)high,
            (byte)(low >> 56), (byte)(low >> 48), (byte)(low >> 40), (byte)(low >> 32),
            (byte)(low >> 24), (byte)(low >> 16), (byte)(low >> 8), (byte)low);
        return true;
    }

    /// <summary>Appends the digits' values to <paramref name="value"/>; a byte that is no digit makes
    /// <paramref name="invalid"/> negative.</summary>
    private static ulong Gather(ReadOnlySpan<byte> text, sbyte[] digits, ulong value, ref int invalid)
    {
        foreach (byte b in text)
        {
            int digit = digits[b];
            invalid |= digit;
            value = (value << 4) | (uint)(digit & 0xF);
        }

        return value;
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
