using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys.Crypto;

namespace Forgewatch.Tokens.Keys;

/// <summary>An EC public key on P-256, P-384 or P-521 for ES256/384/512. Signatures are r and s side by side,
/// each exactly the curve's size, and each must lie in [1, n-1] before the curve is consulted: r = s = 0
/// ("psychic signatures") and values at or over the group order never get that far.</summary>
public sealed class EcSigningKey : SigningKey
{
    private readonly SignatureCheck _check;
    private readonly byte[] _order;

    internal EcSigningKey(KeyFacts facts, SignatureCheck check, EcCurve curve, byte[] point)
        : base(facts, curve.Algorithm, curve.Bits, point)
    {
        _check = check;
        _order = curve.Order;
        Curve = curve.Name;
    }

    public override string KeyType => "EC";

    internal override string Backend => _check.Backend;

    /// <summary>"P-256", "P-384" or "P-521".</summary>
    public string Curve { get; }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        int size = _order.Length;
        if (signature.Length != 2 * size || !InRange(signature[..size]) || !InRange(signature[size..]))
        {
            return false;
        }

        // Written by HashData before it is read.
        Span<byte> digest = stackalloc byte[64];
        return _check.VerifyHash(digest[..Algorithm.HashData(data, digest)], signature);
    }

    /// <summary>0 &lt; value &lt; n, both big-endian and of the same length.</summary>
    private bool InRange(ReadOnlySpan<byte> value) =>
        value.IndexOfAnyExcept((byte)0) >= 0 && value.SequenceCompareTo(_order) < 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _check.Dispose();
        }

        base.Dispose(disposing);
    }
}
