using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys;

/// <summary>
/// A verification key read from a JWK, with the one algorithm it verifies: the algorithm belongs to the key,
/// and a token that claims another is refused before any cryptography. Instances are immutable and safe to
/// use from many threads at once.
/// </summary>
public abstract class SigningKey : IDisposable
{
    private protected SigningKey(KeyFacts facts, JwsAlgorithm algorithm, int sizeBits, ReadOnlySpan<byte> material)
    {
        Facts = facts;
        Algorithm = algorithm;
        SizeBits = sizeBits;
        Fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(material));
    }

    /// <summary>SHA-256 of the key's material (modulus, point or secret), hex: tells the same key listed twice
    /// from two keys under one name.</summary>
    internal string Fingerprint { get; }

    /// <summary>What the JWK said about the key besides its material.</summary>
    public KeyFacts Facts { get; }

    public string? KeyId => Facts.KeyId;

    /// <summary>The only algorithm this key verifies.</summary>
    public JwsAlgorithm Algorithm { get; }

    /// <summary>Modulus bits, curve bits, or secret bits.</summary>
    public int SizeBits { get; }

    /// <summary>Which code checks its signatures: "OpenSSL" (called directly), ".NET" (the portable classes)
    /// or ".NET HMAC".</summary>
    internal abstract string Backend { get; }

    /// <summary>"RSA", "EC" or "oct", as in the JWK.</summary>
    public abstract string KeyType { get; }

    /// <summary>A name for messages: the <c>kid</c>, else the thumbprint, else the source.</summary>
    public string Name => Facts.KeyId ?? Facts.Thumbprint ?? $"the {KeyType} key from {Facts.Source}";

    /// <summary>Whether <paramref name="signature"/> is this key's signature over <paramref name="data"/>, by
    /// <see cref="Algorithm"/>. Wrong lengths and out-of-range values are false, never exceptions.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>The JWK members around a key's material: <c>kid</c>, <c>x5t</c>, the <c>issuer</c> member that
/// Microsoft's key sets carry, the first <c>x5c</c> certificate's validity window, and where the key came
/// from.</summary>
public sealed record KeyFacts(string Source, string? KeyId, string? Thumbprint, string? Issuer, DateTimeOffset? CertificateNotBefore, DateTimeOffset? CertificateNotAfter);
