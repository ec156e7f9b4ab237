using System.Security.Cryptography;
using System.Text;

namespace Forgewatch.Server.Tenants;

/// <summary>
/// A tenant's ingestion key: <c>fwi_</c> and 43 base64url characters (256 random bits). Only its SHA-256 is
/// stored; a key that high in entropy needs no slow hash, and looking it up by hash compares no secret
/// byte by byte.
/// </summary>
public static class IngestionKey
{
    public const string Prefix = "fwi_";

    /// <summary>Longest text taken as a key before hashing: longer is refused without work.</summary>
    public const int MaxLength = 128;

    public static string New() => Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form: lowercase hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
