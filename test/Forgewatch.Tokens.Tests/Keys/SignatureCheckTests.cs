using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Keys.Crypto;

namespace Forgewatch.Tokens.Tests.Keys;

/// <summary>The two signature paths under RSA and EC keys: OpenSSL called directly (Linux with OpenSSL 3) and
/// .NET's classes. The Wycheproof tests hold both to every vector; these hold the direct path's own parts:
/// which path a key takes, the DER re-encoding of ECDSA signatures, reuse of contexts after refusals, many
/// threads on one key, and disposal.</summary>
public class SignatureCheckTests
{
    private static readonly byte[] Data = Encoding.ASCII.GetBytes("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0");

    public static TheoryData<JwsAlgorithm> Algorithms => [JwsAlgorithm.RS256, JwsAlgorithm.PS384, JwsAlgorithm.RS512, JwsAlgorithm.ES256, JwsAlgorithm.ES384, JwsAlgorithm.ES512];

    [Fact]
    public void Read_LinuxWithOpenSsl3_KeysVerifyThroughOpenSslDirectly()
    {
        using var rsa = RSA.Create(2048);
        using SigningKey key = Read(Jwk(rsa, "RS256"));

        bool openSsl3 = OperatingSystem.IsLinux() && File.Exists("/usr/lib/x86_64-linux-gnu/libcrypto.so.3");
        Assert.Equal(LibCrypto.Functions is null ? ".NET" : "OpenSSL", key.Backend);
        Assert.True(!openSsl3 || LibCrypto.Functions is not null, "libcrypto.so.3 is installed but the direct path did not load.");
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_BothPaths_AcceptTheSignatureAndRefuseAnyFlippedBit(JwsAlgorithm algorithm)
    {
        (string jwk, byte[] signature) = Signed(algorithm, Data);
        using SigningKey direct = Read(jwk);
        using SigningKey portable = ReadPortable(jwk);
        Assert.Equal(".NET", portable.Backend);

        Assert.True(direct.Verify(Data, signature));
        Assert.True(portable.Verify(Data, signature));
        for (int bit = 0; bit < signature.Length * 8; bit += 13)
        {
            byte[] flipped = (byte[])signature.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(direct.Verify(Data, flipped), $"bit {bit}");
            Assert.False(portable.Verify(Data, flipped), $"bit {bit}");
        }

        byte[] otherData = [.. Data, (byte)'x'];
        Assert.False(direct.Verify(otherData, signature));

        // Refusals discard their context; the key still verifies afterwards.
        Assert.True(direct.Verify(Data, signature));
    }

    [Fact]
    public void Verify_AfterARefusal_OtherOpenSslWorkOnTheThreadIsUnaffected()
    {
        (string jwk, byte[] signature) = Signed(JwsAlgorithm.RS256, Data);
        using SigningKey key = Read(jwk);
        using var other = RSA.Create(2048);
        byte[] otherSignature = other.SignData(Data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.False(key.Verify(Data, otherSignature));

        // A refused verification leaves nothing on OpenSSL's per-thread error queue for .NET to trip over.
        Assert.True(other.VerifyData(Data, otherSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True(key.Verify(Data, signature));
    }

    [Theory]
    [InlineData(JwsAlgorithm.RS256)]
    [InlineData(JwsAlgorithm.ES256)]
    public void Verify_ManyThreadsOnOneKey_EveryAnswerRight(JwsAlgorithm algorithm)
    {
        (string jwk, byte[] signature) = Signed(algorithm, Data);
        byte[] bad = (byte[])signature.Clone();
        bad[^1] ^= 1;
        using SigningKey key = Read(jwk);
        int wrong = 0;

        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            bool expected = i % 3 != 0;
            if (key.Verify(Data, expected ? signature : bad) != expected)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Verify_AfterDispose_Throws()
    {
        (string jwk, byte[] signature) = Signed(JwsAlgorithm.ES256, Data);
        SigningKey key = Read(jwk);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Verify(Data, signature));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(66)]
    public void EcdsaDerEncode_AnyRAndS_SameAsAnAsn1Writer(int size)
    {
        var random = new Random(size);
        Span<byte> der = stackalloc byte[141];
        for (int i = 0; i < 500; i++)
        {
            byte[] r = Value(random, size, i);
            byte[] s = Value(random, size, i / 7);

            int length = EcdsaDer.Encode(r, s, der);

            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.PushSequence();
            writer.WriteInteger(new BigInteger(r, isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(s, isUnsigned: true, isBigEndian: true));
            writer.PopSequence();
            Assert.Equal(Convert.ToHexString(writer.Encode()), Convert.ToHexString(der[..length]));
        }
    }

    /// <summary>Random values with the shapes that matter: top bit set, leading zero bytes, all but the last
    /// byte zero.</summary>
    private static byte[] Value(Random random, int size, int shape)
    {
        byte[] value = new byte[size];
        random.NextBytes(value);
        switch (shape % 4)
        {
            case 0:
                value[0] |= 0x80;
                break;
            case 1:
                value.AsSpan(0, random.Next(1, size)).Clear();
                break;
            case 2:
                value.AsSpan(0, size - 1).Clear();
                value[^1] |= 1;
                break;
        }

        return value;
    }

    private static SigningKey Read(string jwk)
    {
        using JsonDocument document = JsonDocument.Parse(jwk);
        return JsonWebKeyReader.Read(document.RootElement, "test", out RefusedKey? refusal) ?? throw new InvalidOperationException(refusal!.Message);
    }

    private static SigningKey ReadPortable(string jwk)
    {
        using (SignatureCheck.UsePortable())
        {
            return Read(jwk);
        }
    }

    private static (string Jwk, byte[] Signature) Signed(JwsAlgorithm algorithm, byte[] data)
    {
        if (algorithm.IsRsa())
        {
            using var rsa = RSA.Create(2048);
            RSASignaturePadding padding = algorithm >= JwsAlgorithm.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            return (Jwk(rsa, algorithm.Name()), rsa.SignData(data, algorithm.Hash(), padding));
        }

        ECCurve curve = algorithm switch
        {
            JwsAlgorithm.ES256 => ECCurve.NamedCurves.nistP256,
            JwsAlgorithm.ES384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        using var ecdsa = ECDsa.Create(curve);
        ECParameters p = ecdsa.ExportParameters(false);
        string crv = algorithm switch { JwsAlgorithm.ES256 => "P-256", JwsAlgorithm.ES384 => "P-384", _ => "P-521" };
        string jwk = $$"""{"kty":"EC","crv":"{{crv}}","x":"{{B64(p.Q.X!)}}","y":"{{B64(p.Q.Y!)}}"}""";
        return (jwk, ecdsa.SignData(data, algorithm.Hash()));
    }

    private static string Jwk(RSA rsa, string alg)
    {
        RSAParameters p = rsa.ExportParameters(false);
        return $$"""{"kty":"RSA","alg":"{{alg}}","n":"{{B64(p.Modulus!)}}","e":"{{B64(p.Exponent!)}}"}""";
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
