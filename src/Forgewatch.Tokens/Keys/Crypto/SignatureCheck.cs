using System.Security.Cryptography;
using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>
/// Checks a signature over a digest with one public key, through OpenSSL directly where this process has
/// OpenSSL 3 (Linux), else through .NET's <see cref="RSA"/> and <see cref="ECDsa"/>. Both give the same answer
/// on every Wycheproof vector (the conformance tests run each vector through both). Setting the environment
/// variable <c>FORGEWATCH_TOKENS_CRYPTO=portable</c> before start makes every key use the .NET classes.
/// </summary>
internal abstract class SignatureCheck : IDisposable
{
    private static readonly bool PortableByEnvironment =
        string.Equals(Environment.GetEnvironmentVariable("FORGEWATCH_TOKENS_CRYPTO"), "portable", StringComparison.OrdinalIgnoreCase);

    [ThreadStatic]
    private static bool t_portable;

    /// <summary>"OpenSSL" or ".NET": which path this key's signatures take.</summary>
    public abstract string Backend { get; }

    /// <summary>Keys read on this thread until the scope ends use the .NET classes (for tests that compare
    /// the two paths).</summary>
    public static IDisposable UsePortable() => new PortableScope();

    /// <summary>Whether the signature is valid over <paramref name="digest"/>, the signing input hashed with the
    /// key's algorithm's hash. RSA signatures come at the modulus' length, ECDSA ones as r and s side by
    /// side.</summary>
    public abstract bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature);

    public abstract void Dispose();

    /// <summary>The check for an RSA key; takes ownership of <paramref name="rsa"/>.</summary>
    public static SignatureCheck ForRsa(RSA rsa, JwsAlgorithm algorithm)
    {
        bool pss = algorithm >= JwsAlgorithm.PS256;
        if (Direct is { } api)
        {
            nint digest = algorithm.HashSize() switch { 32 => api.Sha256, 48 => api.Sha384, _ => api.Sha512 };
            int padding = pss ? LibCrypto.RsaPssPadding : LibCrypto.RsaPkcs1Padding;
            if (OpenSslPublicKey.Create(api, rsa.ExportSubjectPublicKeyInfo(), padding, digest) is { } key)
            {
                rsa.Dispose();
                return new OpenSslRsaCheck(key);
            }
        }

        return new PortableRsaCheck(rsa, algorithm.Hash(), pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
    }

    /// <summary>The check for an EC key; takes ownership of <paramref name="ecdsa"/>.</summary>
    public static SignatureCheck ForEcdsa(ECDsa ecdsa)
    {
        if (Direct is { } api && OpenSslPublicKey.Create(api, ecdsa.ExportSubjectPublicKeyInfo(), 0, 0) is { } key)
        {
            ecdsa.Dispose();
            return new OpenSslEcdsaCheck(key);
        }

        return new PortableEcdsaCheck(ecdsa);
    }

    private static LibCrypto.Api? Direct => PortableByEnvironment || t_portable ? null : LibCrypto.Functions;

    private sealed class PortableScope : IDisposable
    {
        private readonly bool _before = t_portable;

        public PortableScope() => t_portable = true;

        public void Dispose() => t_portable = _before;
    }
}
