namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>RSA (PKCS #1 v1.5 or PSS, as the key's contexts were set up) through OpenSSL directly.</summary>
internal sealed class OpenSslRsaCheck(OpenSslPublicKey key) : SignatureCheck
{
    public override string Backend => "OpenSSL";

    public override bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) => key.Verify(digest, signature);

    public override void Dispose() => key.Dispose();
}

/// <summary>ECDSA through OpenSSL directly, which takes signatures as DER: r and s are re-encoded on the
/// stack.</summary>
internal sealed class OpenSslEcdsaCheck(OpenSslPublicKey key) : SignatureCheck
{
    /// <summary>Room for P-521: a SEQUENCE header of 3 bytes and two INTEGERs of at most 2 + 67 bytes.</summary>
    private const int MaxDerLength = 3 + 2 * (2 + 67);

    public override string Backend => "OpenSSL";

    public override bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        int half = signature.Length / 2;
        if (half == 0 || half > 66 || signature.Length != 2 * half)
        {
            return false;
        }

        Span<byte> der = stackalloc byte[MaxDerLength];
        return key.Verify(digest, der[..EcdsaDer.Encode(signature[..half], signature[half..], der)]);
    }

    public override void Dispose() => key.Dispose();
}
