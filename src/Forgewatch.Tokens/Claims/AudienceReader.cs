using System.Text.Json;
using Forgewatch.Tokens.Parsing;

namespace Forgewatch.Tokens.Claims;

/// <summary>The values of a token's <c>aud</c>: one string, or each string of a list.</summary>
internal ref struct AudienceReader
{
    private readonly Span<byte> _buffer;
    private readonly bool _single;
    private readonly ReadOnlySpan<byte> _singleValue;
    private Utf8JsonReader _reader;
    private bool _done;

    public AudienceReader(JsonSlot slot, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> scratch, Span<byte> buffer)
    {
        _buffer = buffer;
        _done = !slot.Found;
        _single = slot.Type == JsonTokenType.String;
        _singleValue = _single ? slot.Value(payload, scratch) : default;
        _reader = slot.Type == JsonTokenType.StartArray ? new Utf8JsonReader(slot.Value(payload, scratch)) : default;
        if (slot.Type == JsonTokenType.StartArray)
        {
            _reader.Read();
        }
    }

    /// <summary>The next audience; false at the end. <paramref name="malformed"/> is set when a list member is
    /// not a string.</summary>
    public bool Next(out ReadOnlySpan<byte> audience, out bool malformed)
    {
        audience = default;
        malformed = false;
        if (_done)
        {
            return false;
        }

        if (_single)
        {
            _done = true;
            audience = _singleValue;
            return true;
        }

        if (!_reader.Read() || _reader.TokenType == JsonTokenType.EndArray)
        {
            _done = true;
            return false;
        }

        if (_reader.TokenType != JsonTokenType.String)
        {
            _done = true;
            malformed = true;
            return false;
        }

        audience = _reader.ValueIsEscaped ? _buffer[.._reader.CopyString(_buffer)] : _reader.ValueSpan;
        return true;
    }
}
