using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Jws;
using Forgewatch.Tokens.Keys.Crypto;
using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Keys;

/// <summary>
/// Reads JWKs (RFC 7517) into <see cref="SigningKey"/>s, refusing what must not verify anything: key types
/// other than RSA, EC and oct; <c>use</c> other than <c>sig</c>; <c>key_ops</c> without <c>verify</c>; an
/// <c>alg</c> that does not fit the key; RSA under 2048 bits, with exponent 1 or even, or with the ROCA
/// fingerprint; EC points off their curve or of the wrong size; secrets shorter than their hash; an
/// <c>x5c</c> certificate whose key is not the JWK's, or an <c>x5t</c> that is not its thumbprint.
/// </summary>
public static class JsonWebKeyReader
{
    /// <summary>RSA moduli over this are refused: verifying with them costs too much for too little.</summary>
    public const int MaxRsaBits = 8192;

    public const int MinRsaBits = 2048;

    private const int MaxKeyIdLength = 256;

    /// <summary>Reads a JWK Set (<c>{"keys": [...]}</c>) or a single JWK. Throws <see cref="FormatException"/>
    /// when <paramref name="json"/> is neither; individual bad keys are refused, not thrown.</summary>
    public static KeySet ReadSet(ReadOnlyMemory<byte> json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using JsonDocument document = StrictJson.ParseObject(json, out string problem)
            ?? throw new FormatException($"{source} is not a JSON Web Key Set: it is {problem}.");
        JsonElement root = document.RootElement;
        var keys = new List<SigningKey>();
        var refused = new List<RefusedKey>();
        if (root.TryGetProperty("keys", out JsonElement array))
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source}: \"keys\" is not an array.");
            }

            foreach (JsonElement element in array.EnumerateArray())
            {
                Add(Read(element, source), keys, refused);
            }
        }
        else if (root.TryGetProperty("kty", out _))
        {
            Add(Read(root, source), keys, refused);
        }
        else
        {
            throw new FormatException($"{source} is neither a JSON Web Key Set (no \"keys\") nor a JSON Web Key (no \"kty\").");
        }

        RefuseSecretsAmongPublicKeys(keys, refused, source);
        return new KeySet(source, keys, refused);
    }

    /// <summary>Reads one JWK: the key, or why it is refused.</summary>
    public static SigningKey? Read(JsonElement jwk, string source, out RefusedKey? refusal)
    {
        ArgumentNullException.ThrowIfNull(source);
        (SigningKey? key, RefusedKey? refused) = Read(jwk, source);
        refusal = refused;
        return key;
    }

    private static void Add((SigningKey? Key, RefusedKey? Refused) read, List<SigningKey> keys, List<RefusedKey> refused)
    {
        if (read.Key is not null)
        {
            keys.Add(read.Key);
        }
        else
        {
            refused.Add(read.Refused!);
        }
    }

    /// <summary>A set that publishes public keys is published: a secret in it is no secret, and a verifier
    /// that picks keys from it could be led to use either kind. Its secrets are refused.</summary>
    private static void RefuseSecretsAmongPublicKeys(List<SigningKey> keys, List<RefusedKey> refused, string source)
    {
        if (!keys.Any(k => k is HmacSigningKey) || !keys.Any(k => k is not HmacSigningKey))
        {
            return;
        }

        foreach (SigningKey secret in keys.Where(k => k is HmacSigningKey).ToList())
        {
            keys.Remove(secret);
            refused.Add(new RefusedKey(source, secret.KeyId, KeyReasons.MixedKeySet, "This secret (oct) key sits in a set with public keys; secrets and public keys are never read from one set."));
            secret.Dispose();
        }
    }

    private static (SigningKey?, RefusedKey?) Read(JsonElement jwk, string source)
    {
        string? kid = null;
        try
        {
            if (jwk.ValueKind != JsonValueKind.Object)
            {
                return Refuse(KeyReasons.Malformed, "A key is not a JSON object.");
            }

            kid = OptionalString(jwk, "kid");
            if (kid is not null && KeyIds.Problem(Encoding.UTF8.GetBytes(kid), MaxKeyIdLength) is { } kidProblem)
            {
                string shown = ShownText.Of(kid);
                kid = null;
                return Refuse(KeyReasons.Malformed, $"Its \"kid\" (\"{shown}\") {kidProblem}.");
            }

            if (OptionalString(jwk, "use") is { } use && use != "sig")
            {
                return Refuse(KeyReasons.NotForSigning, $"Its \"use\" is \"{ShownText.Of(use)}\", not \"sig\".");
            }

            if (jwk.TryGetProperty("key_ops", out JsonElement ops) && !AllowsVerify(ops))
            {
                return Refuse(KeyReasons.NotForSigning, "Its \"key_ops\" do not include \"verify\".");
            }

            string kty = OptionalString(jwk, "kty") ?? throw new FormatException("it has no \"kty\"");
            string? alg = OptionalString(jwk, "alg");
            JwsAlgorithm? algorithm = null;
            if (alg is not null)
            {
                if (!JwsAlgorithms.TryParse(alg, out JwsAlgorithm parsed))
                {
                    return Refuse(KeyReasons.BadAlgorithm, $"Its \"alg\" \"{ShownText.Of(alg)}\" is not a JWS signature algorithm this verifier supports.");
                }

                algorithm = parsed;
            }

            (DateTimeOffset? notBefore, DateTimeOffset? notAfter, X509Certificate2? certificate) = ReadCertificate(jwk);
            using (certificate)
            {
                string? thumbprint = OptionalString(jwk, "x5t");
                if (certificate is not null && thumbprint is not null && thumbprint != System.Buffers.Text.Base64Url.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA1)))
                {
                    return Refuse(KeyReasons.CertificateMismatch, "Its \"x5t\" is not the thumbprint of its first \"x5c\" certificate.");
                }

                var facts = new KeyFacts(source, kid, thumbprint, OptionalString(jwk, "issuer"), notBefore, notAfter);
                return kty switch
                {
                    "RSA" => ReadRsa(jwk, facts, algorithm, certificate),
                    "EC" => ReadEc(jwk, facts, algorithm, certificate),
                    "oct" => ReadOct(jwk, facts, algorithm),
                    _ => Refuse(KeyReasons.UnsupportedType, $"Its type \"{ShownText.Of(kty)}\" is not RSA, EC or oct."),
                };
            }
        }
        catch (FormatException e)
        {
            return Refuse(KeyReasons.Malformed, $"It is malformed: {e.Message}.");
        }
        catch (CryptographicException e)
        {
            return Refuse(KeyReasons.Malformed, $"It could not be imported: {ShownText.Of(e.Message)}.");
        }
        catch (InvalidOperationException)
        {
            return Refuse(KeyReasons.Malformed, "A string in it escapes a lone surrogate.");
        }

        (SigningKey?, RefusedKey?) Refuse(string reason, string message) => (null, new RefusedKey(source, kid, reason, message));
    }

    private static (SigningKey?, RefusedKey?) ReadRsa(JsonElement jwk, KeyFacts facts, JwsAlgorithm? algorithm, X509Certificate2? certificate)
    {
        JwsAlgorithm chosen = algorithm ?? JwsAlgorithm.RS256;
        if (!chosen.IsRsa())
        {
            return Refused(facts, KeyReasons.BadAlgorithm, $"Its \"alg\" {chosen.Name()} is not an RSA algorithm.");
        }

        byte[] modulus = TrimLeadingZeros(Member(jwk, "n"));
        byte[] exponent = TrimLeadingZeros(Member(jwk, "e"));
        int bits = BitLength(modulus);
        if (bits < MinRsaBits || bits > MaxRsaBits)
        {
            return Refused(facts, KeyReasons.Weak, $"Its modulus has {bits:N0} bits; RSA keys need {MinRsaBits:N0} to {MaxRsaBits:N0}.");
        }

        if ((modulus[^1] & 1) == 0 || exponent.Length == 0 || exponent.Length > 8 || (exponent[^1] & 1) == 0 || exponent is [1])
        {
            return Refused(facts, KeyReasons.Weak, "Its modulus or public exponent is not a usable RSA value (even, or exponent 1).");
        }

        if (RocaFingerprint.Matches(modulus))
        {
            return Refused(facts, KeyReasons.Weak, "Its modulus has the ROCA fingerprint (CVE-2017-15361): its private key can be computed.");
        }

        var parameters = new RSAParameters { Modulus = modulus, Exponent = exponent };
        if (certificate is not null)
        {
            using RSA? certified = certificate.GetRSAPublicKey();
            RSAParameters fromCertificate = certified?.ExportParameters(false) ?? default;
            if (certified is null || !TrimLeadingZeros(fromCertificate.Modulus!).AsSpan().SequenceEqual(modulus) || !TrimLeadingZeros(fromCertificate.Exponent!).AsSpan().SequenceEqual(exponent))
            {
                return Refused(facts, KeyReasons.CertificateMismatch, "Its first \"x5c\" certificate holds a different key.");
            }
        }

        RSA rsa = RSA.Create();
        rsa.ImportParameters(parameters);
        return (new RsaSigningKey(facts, chosen, SignatureCheck.ForRsa(rsa, chosen), bits, modulus), null);
    }

    private static (SigningKey?, RefusedKey?) ReadEc(JsonElement jwk, KeyFacts facts, JwsAlgorithm? algorithm, X509Certificate2? certificate)
    {
        string crv = OptionalString(jwk, "crv") ?? throw new FormatException("it has no \"crv\"");
        if (EcCurve.Named(crv) is not { } curve)
        {
            return Refused(facts, KeyReasons.UnsupportedType, $"Its curve \"{ShownText.Of(crv)}\" is not P-256, P-384 or P-521.");
        }

        if (algorithm is { } named && named != curve.Algorithm)
        {
            return Refused(facts, KeyReasons.BadAlgorithm, $"Its \"alg\" {named.Name()} does not fit its curve {curve.Name} (which signs {curve.Algorithm.Name()}).");
        }

        byte[] x = Member(jwk, "x");
        byte[] y = Member(jwk, "y");
        if (x.Length != curve.CoordinateBytes || y.Length != curve.CoordinateBytes)
        {
            return Refused(facts, KeyReasons.InvalidPoint, $"Its coordinates are not {curve.CoordinateBytes} bytes each, as {curve.Name} needs.");
        }

        ECDsa ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(new ECParameters { Curve = curve.Curve, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            return Refused(facts, KeyReasons.InvalidPoint, $"Its point is not on {curve.Name}.");
        }

        if (certificate is not null)
        {
            using ECDsa? certified = certificate.GetECDsaPublicKey();
            ECPoint q = certified?.ExportParameters(false).Q ?? default;
            if (certified is null || !x.AsSpan().SequenceEqual(q.X) || !y.AsSpan().SequenceEqual(q.Y))
            {
                ecdsa.Dispose();
                return Refused(facts, KeyReasons.CertificateMismatch, "Its first \"x5c\" certificate holds a different key.");
            }
        }

        return (new EcSigningKey(facts, SignatureCheck.ForEcdsa(ecdsa), curve, [.. x, .. y]), null);
    }

    private static (SigningKey?, RefusedKey?) ReadOct(JsonElement jwk, KeyFacts facts, JwsAlgorithm? algorithm)
    {
        if (algorithm is not { } chosen)
        {
            return Refused(facts, KeyReasons.BadAlgorithm, "A secret (oct) key must name its \"alg\" (HS256, HS384 or HS512).");
        }

        if (!chosen.IsHmac())
        {
            return Refused(facts, KeyReasons.BadAlgorithm, $"Its \"alg\" {chosen.Name()} is not an HMAC algorithm.");
        }

        byte[] secret = Member(jwk, "k");
        if (secret.Length < chosen.HashSize())
        {
            return Refused(facts, KeyReasons.Weak, $"Its secret has {secret.Length} bytes; {chosen.Name()} needs at least {chosen.HashSize()}.");
        }

        return (new HmacSigningKey(facts, chosen, secret), null);
    }

    private static (SigningKey?, RefusedKey?) Refused(KeyFacts facts, string reason, string message) => (null, new RefusedKey(facts.Source, facts.KeyId, reason, message));

    private static (DateTimeOffset?, DateTimeOffset?, X509Certificate2?) ReadCertificate(JsonElement jwk)
    {
        if (!jwk.TryGetProperty("x5c", out JsonElement chain))
        {
            return (null, null, null);
        }

        if (chain.ValueKind != JsonValueKind.Array || chain.GetArrayLength() == 0 || chain[0].ValueKind != JsonValueKind.String)
        {
            throw new FormatException("its \"x5c\" is not a list of certificates");
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(chain[0].GetString()!);
        }
        catch (FormatException)
        {
            throw new FormatException("its first \"x5c\" certificate is not base64");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new FormatException("its first \"x5c\" certificate is not a DER certificate");
        }

        return (new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), certificate);
    }

    private static bool AllowsVerify(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("its \"key_ops\" is not an array");
        }

        return ops.EnumerateArray().Any(op => op.ValueKind == JsonValueKind.String && op.ValueEquals("verify"));
    }

    private static string? OptionalString(JsonElement jwk, string name)
    {
        if (!jwk.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"its \"{name}\" is not a string");
    }

    private static byte[] Member(JsonElement jwk, string name)
    {
        string text = OptionalString(jwk, name) ?? throw new FormatException($"it has no \"{name}\"");
        return Base64Url.Decode(Encoding.ASCII.GetBytes(text)) is { } bytes && Ascii.IsValid(text)
            ? bytes
            : throw new FormatException($"its \"{name}\" is not canonical base64url");
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        int first = value.AsSpan().IndexOfAnyExcept((byte)0);
        return first <= 0 ? (first < 0 ? [] : value) : value[first..];
    }

    private static int BitLength(byte[] value) => value.Length == 0 ? 0 : ((value.Length - 1) * 8) + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]) + 24);
}
