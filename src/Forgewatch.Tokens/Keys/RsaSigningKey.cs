using System.Security.Cryptography;
using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys;

/// <summary>An RSA public key for RS256/384/512 (PKCS #1 v1.5) or PS256/384/512 (PSS, salt as long as the
/// hash).</summary>
public sealed class RsaSigningKey : SigningKey
{
    private readonly RSA _rsa;
    private readonly RSASignaturePadding _padding;
    private readonly HashAlgorithmName _hash;
    private readonly int _modulusBytes;

    internal RsaSigningKey(KeyFacts facts, JwsAlgorithm algorithm, RSA rsa, int sizeBits, byte[] modulus)
        : base(facts, algorithm, sizeBits, modulus)
    {
        _rsa = rsa;
        _padding = algorithm >= JwsAlgorithm.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        _hash = algorithm.Hash();
        _modulusBytes = modulus.Length;
    }

    public override string KeyType => "RSA";

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == _modulusBytes && _rsa.VerifyData(data, signature, _hash, _padding);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rsa.Dispose();
        }

        base.Dispose(disposing);
    }
}
