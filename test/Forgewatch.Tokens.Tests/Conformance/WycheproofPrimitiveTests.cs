using System.Text.Json;
using System.Text.Json.Nodes;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Keys.Crypto;

namespace Forgewatch.Tokens.Tests.Conformance;

/// <summary>
/// The signature primitives under the JWS layer, through the same code paths: each group's public key as a JWK
/// (<c>publicKeyJwk</c> or <c>keyJwk</c>) read by <see cref="JsonWebKeyReader.Read"/>, then
/// <see cref="SigningKey.Verify"/> over the raw message and signature. Valid must verify, invalid must not,
/// acceptable may go either way (and must not throw). Each vector runs through both signature paths, OpenSSL
/// called directly (where available) and .NET's classes, which must answer alike.
/// </summary>
public class WycheproofPrimitiveTests
{
    public static TheoryData<int> EcdsaP256Vectors => Wycheproof.TcIds(Wycheproof.EcdsaP256File, WycheproofQuirks.TcIds(Wycheproof.EcdsaP256File));

    public static TheoryData<int> RsaPkcs1Vectors => Wycheproof.TcIds(Wycheproof.RsaPkcs1File, WycheproofQuirks.TcIds(Wycheproof.RsaPkcs1File));

    public static TheoryData<int> RsaPssVectors => Wycheproof.TcIds(Wycheproof.RsaPssFile, WycheproofQuirks.TcIds(Wycheproof.RsaPssFile));

    [Theory]
    [MemberData(nameof(EcdsaP256Vectors))]
    public void Verify_EcdsaP256P1363Vector_AgreesWithLabel(int tcId) =>
        AssertAgrees(Wycheproof.Vector(Wycheproof.EcdsaP256File, tcId), JwsAlgorithm.ES256);

    [Theory]
    [MemberData(nameof(RsaPkcs1Vectors))]
    public void Verify_Rsa2048Sha256Pkcs1Vector_AgreesWithLabel(int tcId) =>
        AssertAgrees(Wycheproof.Vector(Wycheproof.RsaPkcs1File, tcId), JwsAlgorithm.RS256);

    [Theory]
    [MemberData(nameof(RsaPssVectors))]
    public void Verify_Rsa2048PssSha256Salt32Vector_AgreesWithLabel(int tcId) =>
        AssertAgrees(Wycheproof.Vector(Wycheproof.RsaPssFile, tcId), JwsAlgorithm.PS256);

    /// <summary>Every group's key of every primitive file is taken (none refused), with the algorithm the file
    /// is about: a refused key would turn all of its valid vectors into disagreements at once.</summary>
    [Theory]
    [InlineData(Wycheproof.EcdsaP256File, JwsAlgorithm.ES256)]
    [InlineData(Wycheproof.RsaPkcs1File, JwsAlgorithm.RS256)]
    [InlineData(Wycheproof.RsaPssFile, JwsAlgorithm.PS256)]
    public void Read_EveryGroupKey_TakenWithTheFilesAlgorithm(string file, JwsAlgorithm algorithm)
    {
        JsonElement[] groups = [.. Wycheproof.Load(file).Values.Select(v => v.Group).DistinctBy(g => g.GetRawText())];
        Assert.NotEmpty(groups);

        foreach (JsonElement group in groups)
        {
            using SigningKey? key = JsonWebKeyReader.Read(GroupJwk(group), file, out RefusedKey? refusal);

            Assert.True(key is not null, $"{file}: a group key was refused: {refusal}");
            Assert.Equal(algorithm, key.Algorithm);
        }
    }

    /// <summary>The RSA PKCS #1 file holds keys with e = 3 ("Aw") beside e = 65537 ("AQAB"): a small odd
    /// exponent is a valid RSA public key and is read.</summary>
    [Fact]
    public void Read_RsaKeyWithExponentThree_Taken()
    {
        JsonElement[] small = [.. Wycheproof.Load(Wycheproof.RsaPkcs1File).Values.Select(v => GroupJwk(v.Group)).Where(k => k.GetProperty("e").GetString() == "Aw").DistinctBy(k => k.GetRawText())];
        Assert.NotEmpty(small);

        foreach (JsonElement jwk in small)
        {
            using SigningKey? key = JsonWebKeyReader.Read(jwk, Wycheproof.RsaPkcs1File, out RefusedKey? refusal);
            Assert.True(key is not null, $"e = 3 key refused: {refusal}");
        }
    }

    /// <summary>The group's key as a JWK. A few ECDSA groups (the "ArithmeticError" edge cases, tc253-262)
    /// carry no JWK, only <c>publicKey</c> with the point in hex: the same point is written as the JWK the
    /// other groups carry, so those vectors go through the reader too.</summary>
    internal static JsonElement GroupJwk(JsonElement group)
    {
        if (group.TryGetProperty("publicKeyJwk", out JsonElement jwk) || group.TryGetProperty("keyJwk", out jwk))
        {
            return jwk;
        }

        JsonElement point = group.GetProperty("publicKey");
        if (point.GetProperty("type").GetString() != "EcPublicKey" || point.GetProperty("curve").GetString() != "secp256r1")
        {
            throw new InvalidOperationException($"A group without a JWK holds a key this test cannot write as one: {point.GetRawText()}");
        }

        var written = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Coordinate(point.GetProperty("wx").GetString()!),
            ["y"] = Coordinate(point.GetProperty("wy").GetString()!),
            ["kid"] = "none",
        };
        using JsonDocument document = JsonDocument.Parse(written.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>A P-256 coordinate from Wycheproof's hex integer (which may carry a leading zero byte) as JWK
    /// base64url of exactly 32 bytes.</summary>
    private static string Coordinate(string hex)
    {
        ReadOnlySpan<byte> value = Convert.FromHexString(hex);
        while (value.Length > 32 && value[0] == 0)
        {
            value = value[1..];
        }

        byte[] fixedSize = new byte[Math.Max(32, value.Length)];
        value.CopyTo(fixedSize.AsSpan(fixedSize.Length - value.Length));
        return System.Buffers.Text.Base64Url.EncodeToString(fixedSize);
    }

    private static void AssertAgrees(WycheproofVector vector, JwsAlgorithm algorithm)
    {
        bool? direct = VerifyThrough(vector, algorithm, portable: false);
        bool? portable = VerifyThrough(vector, algorithm, portable: true);

        // The production path (OpenSSL directly, where available) and .NET's classes answer alike, acceptable
        // vectors included.
        Assert.True(direct == portable, $"{vector}: the direct path says {direct}, .NET's classes {portable}.");
    }

    /// <summary>Whether the vector's signature verified (null: the key was refused), after checking the answer
    /// against the label.</summary>
    private static bool? VerifyThrough(WycheproofVector vector, JwsAlgorithm algorithm, bool portable)
    {
        SigningKey? key;
        RefusedKey? refusal;
        using (portable ? SignatureCheck.UsePortable() : null)
        {
            key = JsonWebKeyReader.Read(GroupJwk(vector.Group), $"wycheproof {vector.File} tc{vector.TcId} group", out refusal);
        }

        using (key)
        {
            if (key is null)
            {
                // Nothing verifies under a refused key: invalid vectors still agree, valid ones cannot.
                Assert.True(vector.Result != WycheproofVector.Valid, $"{vector}: the group's key was refused ({refusal?.Reason}: {refusal?.Message})");
                return null;
            }

            Assert.Equal(algorithm, key.Algorithm);
            if (portable)
            {
                Assert.Equal(".NET", key.Backend);
            }

            byte[] message = Convert.FromHexString(vector.Test.GetProperty("msg").GetString()!);
            byte[] signature = Convert.FromHexString(vector.Test.GetProperty("sig").GetString()!);

            bool verified = key.Verify(message, signature);

            switch (vector.Result)
            {
                case WycheproofVector.Valid:
                    Assert.True(verified, $"{vector} ({key.Backend}): expected the signature to verify; it did not.");
                    break;
                case WycheproofVector.Invalid:
                    Assert.False(verified, $"{vector} ({key.Backend}): expected the signature to be refused; it verified.");
                    break;
                case WycheproofVector.Acceptable:
                    break;
                default:
                    Assert.Fail($"{vector}: unknown label.");
                    break;
            }

            return verified;
        }
    }
}
