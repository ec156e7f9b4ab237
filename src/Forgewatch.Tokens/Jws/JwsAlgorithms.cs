using System.Security.Cryptography;

namespace Forgewatch.Tokens.Jws;

/// <summary>The JWS algorithms this verifier supports (RFC 7518, section 3).</summary>
public enum JwsAlgorithm
{
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    HS256,
    HS384,
    HS512,
}

/// <summary>The JWS algorithms by name, spelled exactly as registered, and what each needs.</summary>
public static class JwsAlgorithms
{
    private static readonly string[] Names = Enum.GetNames<JwsAlgorithm>();

    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(Names, StringComparer.Ordinal);

    /// <summary>The algorithm registered under <paramref name="utf8Name"/> (exact spelling), if supported.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out JwsAlgorithm algorithm)
    {
        algorithm = default;
        if (utf8Name.Length != 5)
        {
            return false;
        }

        int family = (utf8Name[0], utf8Name[1]) switch
        {
            ((byte)'R', (byte)'S') => 0,
            ((byte)'P', (byte)'S') => 3,
            ((byte)'E', (byte)'S') => 6,
            ((byte)'H', (byte)'S') => 9,
            _ => -1,
        };
        int size = (utf8Name[2], utf8Name[3], utf8Name[4]) switch
        {
            ((byte)'2', (byte)'5', (byte)'6') => 0,
            ((byte)'3', (byte)'8', (byte)'4') => 1,
            ((byte)'5', (byte)'1', (byte)'2') => 2,
            _ => -1,
        };
        if (family < 0 || size < 0)
        {
            return false;
        }

        algorithm = (JwsAlgorithm)(family + size);
        return true;
    }

    /// <summary>The algorithm registered under <paramref name="name"/> (exact spelling), if supported.</summary>
    public static bool TryParse(string name, out JwsAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> utf8 = stackalloc byte[5];
        if (name.Length != 5 || !System.Text.Ascii.IsValid(name))
        {
            algorithm = default;
            return false;
        }

        System.Text.Encoding.ASCII.GetBytes(name, utf8);
        return TryParse(utf8, out algorithm);
    }

    public static string Name(this JwsAlgorithm algorithm) => Names[(int)algorithm];

    public static HashAlgorithmName Hash(this JwsAlgorithm algorithm) => ((int)algorithm % 3) switch
    {
        0 => HashAlgorithmName.SHA256,
        1 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    /// <summary>Hashes <paramref name="data"/> with the algorithm's hash into <paramref name="destination"/> (at
    /// least 64 bytes) and returns the hash's length.</summary>
    public static int HashData(this JwsAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination) => ((int)algorithm % 3) switch
    {
        0 => SHA256.HashData(data, destination),
        1 => SHA384.HashData(data, destination),
        _ => SHA512.HashData(data, destination),
    };

    /// <summary>Bytes of the algorithm's hash output (32, 48 or 64).</summary>
    public static int HashSize(this JwsAlgorithm algorithm) => ((int)algorithm % 3) switch { 0 => 32, 1 => 48, _ => 64 };

    public static bool IsRsa(this JwsAlgorithm algorithm) => algorithm <= JwsAlgorithm.PS512;

    public static bool IsEcdsa(this JwsAlgorithm algorithm) => algorithm is >= JwsAlgorithm.ES256 and <= JwsAlgorithm.ES512;

    public static bool IsHmac(this JwsAlgorithm algorithm) => algorithm >= JwsAlgorithm.HS256;
}
