namespace Forgewatch.Tokens.Jws;

/// <summary>A compact JWS taken apart into a caller's buffer by <see cref="CompactJws.TryParse"/>: spans over
/// that buffer, valid while it is.</summary>
internal ref struct JwsParts
{
    /// <summary>The ASCII bytes the signature covers: <c>header.payload</c> as they appear in the token.</summary>
    public ReadOnlySpan<byte> SigningInput;

    /// <summary>The decoded header (a JSON object, already checked).</summary>
    public ReadOnlySpan<byte> Header;

    /// <summary>The decoded payload: any bytes at this layer; a JWT's claims above it.</summary>
    public ReadOnlySpan<byte> Payload;

    public ReadOnlySpan<byte> Signature;

    /// <summary>The algorithm the token claims. The verifier takes the algorithm from the key and refuses a
    /// token that claims another.</summary>
    public JwsAlgorithm Algorithm;

    /// <summary>The header's <c>kid</c> (UTF-8, unescaped), empty if absent.</summary>
    public ReadOnlySpan<byte> KeyId;

    /// <summary>The header's <c>x5t</c> (certificate thumbprint, base64url text), empty if absent.</summary>
    public ReadOnlySpan<byte> Thumbprint;

    /// <summary>The header's <c>typ</c>, empty if absent.</summary>
    public ReadOnlySpan<byte> Type;

    /// <summary>Free space after the parts, for the payload scan's unescaping.</summary>
    public Span<byte> Scratch;
}
