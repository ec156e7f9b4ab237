using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys.Crypto;

namespace Forgewatch.Tokens.Keys;

/// <summary>An RSA public key for RS256/384/512 (PKCS #1 v1.5) or PS256/384/512 (PSS, salt as long as the
/// hash).</summary>
public sealed class RsaSigningKey : SigningKey
{
    private readonly SignatureCheck _check;
    private readonly int _modulusBytes;

    internal RsaSigningKey(KeyFacts facts, JwsAlgorithm algorithm, SignatureCheck check, int sizeBits, byte[] modulus)
        : base(facts, algorithm, sizeBits, modulus)
    {
        _check = check;
        _modulusBytes = modulus.Length;
    }

    public override string KeyType => "RSA";

    internal override string Backend => _check.Backend;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != _modulusBytes)
        {
            return false;
        }

        // Written by HashData before it is read.
        Span<byte> digest = stackalloc byte[64];
        return _check.VerifyHash(digest[..Algorithm.HashData(data, digest)], signature);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _check.Dispose();
        }

        base.Dispose(disposing);
    }
}
