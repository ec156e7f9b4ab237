using System.Security.Cryptography;
using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys;

/// <summary>A shared secret (<c>kty: oct</c>) for HS256/384/512, at least as long as the hash. It only ever
/// comes from a JWK of type <c>oct</c>: the bytes of a public key are never taken as an HMAC secret.</summary>
public sealed class HmacSigningKey : SigningKey
{
    private readonly byte[] _secret;

    /// <summary>A keyed HMAC per thread, reused: setting up the key costs OpenSSL more than hashing a token.</summary>
    private readonly ThreadLocal<IncrementalHash> _hmac;

    internal HmacSigningKey(KeyFacts facts, JwsAlgorithm algorithm, byte[] secret)
        : base(facts, algorithm, secret.Length * 8, secret)
    {
        _secret = secret;
        HashAlgorithmName hash = algorithm.Hash();
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(hash, _secret), trackAllValues: true);
    }

    public override string KeyType => "oct";

    internal override string Backend => ".NET HMAC";

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[64];
        IncrementalHash hmac = _hmac.Value!;
        hmac.AppendData(data);
        int length = hmac.GetHashAndReset(mac);
        return signature.Length == length && CryptographicOperations.FixedTimeEquals(mac[..length], signature);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (IncrementalHash hmac in _hmac.Values)
            {
                hmac.Dispose();
            }

            _hmac.Dispose();
            CryptographicOperations.ZeroMemory(_secret);
        }

        base.Dispose(disposing);
    }
}
