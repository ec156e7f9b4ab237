using System.Security.Cryptography;
using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys;

/// <summary>A shared secret (<c>kty: oct</c>) for HS256/384/512, at least as long as the hash. It only ever
/// comes from a JWK of type <c>oct</c>: the bytes of a public key are never taken as an HMAC secret.</summary>
public sealed class HmacSigningKey : SigningKey
{
    private readonly byte[] _secret;

    internal HmacSigningKey(KeyFacts facts, JwsAlgorithm algorithm, byte[] secret)
        : base(facts, algorithm, secret.Length * 8, secret)
    {
        _secret = secret;
    }

    public override string KeyType => "oct";

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> mac = stackalloc byte[64];
        int length = Algorithm switch
        {
            JwsAlgorithm.HS256 => HMACSHA256.HashData(_secret, data, mac),
            JwsAlgorithm.HS384 => HMACSHA384.HashData(_secret, data, mac),
            _ => HMACSHA512.HashData(_secret, data, mac),
        };
        return signature.Length == length && CryptographicOperations.FixedTimeEquals(mac[..length], signature);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_secret);
        }

        base.Dispose(disposing);
    }
}
