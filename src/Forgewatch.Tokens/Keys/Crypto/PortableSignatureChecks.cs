using System.Security.Cryptography;

namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>RSA through .NET's <see cref="RSA"/>, on any platform.</summary>
internal sealed class PortableRsaCheck(RSA rsa, HashAlgorithmName hash, RSASignaturePadding padding) : SignatureCheck
{
    public override string Backend => ".NET";

    public override bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
        rsa.VerifyHash(digest, signature, hash, padding);

    public override void Dispose() => rsa.Dispose();
}

/// <summary>ECDSA through .NET's <see cref="ECDsa"/>, on any platform.</summary>
internal sealed class PortableEcdsaCheck(ECDsa ecdsa) : SignatureCheck
{
    public override string Backend => ".NET";

    public override bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
        ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public override void Dispose() => ecdsa.Dispose();
}
