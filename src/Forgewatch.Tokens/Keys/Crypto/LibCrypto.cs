using System.Runtime.InteropServices;

namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>
/// The few OpenSSL 3 functions the direct verification path calls, looked up once in the <c>libcrypto.so.3</c>
/// that .NET itself uses on Linux. When the library or any function is missing (another OS, OpenSSL 1.1),
/// <see cref="Functions"/> is null and keys verify through the portable .NET classes instead.
/// </summary>
/// <remarks>
/// Why call OpenSSL directly: <c>RSA.VerifyData</c> and <c>ECDsa.VerifyData</c> build a new
/// <c>EVP_PKEY_CTX</c> for every call, and in OpenSSL 3 that means fetching the algorithm from the provider
/// under process-wide locks, 5-7 µs per RSA verification on the development machine, and contention when
/// several threads verify at once. A context built once per key and reused skips all of that; the
/// cryptography itself is the same OpenSSL code.
/// </remarks>
internal static unsafe class LibCrypto
{
    public const int RsaPkcs1Padding = 1;

    public const int RsaPssPadding = 6;

    /// <summary><c>RSA_PSS_SALTLEN_DIGEST</c>: the salt is as long as the hash, as RFC 7518 requires.</summary>
    public const int PssSaltLengthDigest = -1;

    /// <summary>The functions, or null when this process has no usable OpenSSL 3.</summary>
    public static readonly Api? Functions = Load();

    private static Api? Load()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out nint library))
        {
            return null;
        }

        try
        {
            var api = new Api(library);
            return api.OpenSslVersionNumber() >= 0x30000000UL ? api : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Entry points; signatures as in OpenSSL 3.0's headers.</summary>
    internal sealed class Api
    {
        public readonly delegate* unmanaged<ulong> OpenSslVersionNumber;
        public readonly delegate* unmanaged<nint, byte**, nint, nint> DecodePublicKey;
        public readonly delegate* unmanaged<nint, void> FreeKey;
        public readonly delegate* unmanaged<nint, nint, nint> NewContext;
        public readonly delegate* unmanaged<nint, void> FreeContext;
        public readonly delegate* unmanaged<nint, int> VerifyInit;
        public readonly delegate* unmanaged<nint, int, int> SetRsaPadding;
        public readonly delegate* unmanaged<nint, int, int> SetRsaPssSaltLength;
        public readonly delegate* unmanaged<nint, nint, int> SetSignatureDigest;
        public readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int> Verify;
        public readonly delegate* unmanaged<void> ClearErrors;
        public readonly nint Sha256;
        public readonly nint Sha384;
        public readonly nint Sha512;

        public Api(nint library)
        {
            OpenSslVersionNumber = (delegate* unmanaged<ulong>)Export(library, "OpenSSL_version_num");
            DecodePublicKey = (delegate* unmanaged<nint, byte**, nint, nint>)Export(library, "d2i_PUBKEY");
            FreeKey = (delegate* unmanaged<nint, void>)Export(library, "EVP_PKEY_free");
            NewContext = (delegate* unmanaged<nint, nint, nint>)Export(library, "EVP_PKEY_CTX_new");
            FreeContext = (delegate* unmanaged<nint, void>)Export(library, "EVP_PKEY_CTX_free");
            VerifyInit = (delegate* unmanaged<nint, int>)Export(library, "EVP_PKEY_verify_init");
            SetRsaPadding = (delegate* unmanaged<nint, int, int>)Export(library, "EVP_PKEY_CTX_set_rsa_padding");
            SetRsaPssSaltLength = (delegate* unmanaged<nint, int, int>)Export(library, "EVP_PKEY_CTX_set_rsa_pss_saltlen");
            SetSignatureDigest = (delegate* unmanaged<nint, nint, int>)Export(library, "EVP_PKEY_CTX_set_signature_md");
            Verify = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, int>)Export(library, "EVP_PKEY_verify");
            ClearErrors = (delegate* unmanaged<void>)Export(library, "ERR_clear_error");
            Sha256 = ((delegate* unmanaged<nint>)Export(library, "EVP_sha256"))();
            Sha384 = ((delegate* unmanaged<nint>)Export(library, "EVP_sha384"))();
            Sha512 = ((delegate* unmanaged<nint>)Export(library, "EVP_sha512"))();
        }

        private static nint Export(nint library, string name) =>
            NativeLibrary.TryGetExport(library, name, out nint address) ? address : throw new EntryPointNotFoundException(name);
    }
}
