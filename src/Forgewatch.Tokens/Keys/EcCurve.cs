using System.Security.Cryptography;
using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Keys;

/// <summary>The curves JWS uses (RFC 7518, section 3.4), each with its one algorithm, its coordinate size and
/// its group order n (from SEC 2, checked against OpenSSL's explicit parameters).</summary>
internal sealed record EcCurve(string Name, ECCurve Curve, JwsAlgorithm Algorithm, int Bits, byte[] Order)
{
    public static readonly EcCurve P256 = new("P-256", ECCurve.NamedCurves.nistP256, JwsAlgorithm.ES256, 256,
        Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"));

    public static readonly EcCurve P384 = new("P-384", ECCurve.NamedCurves.nistP384, JwsAlgorithm.ES384, 384,
        Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973"));

    public static readonly EcCurve P521 = new("P-521", ECCurve.NamedCurves.nistP521, JwsAlgorithm.ES512, 521,
        Convert.FromHexString("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409"));

    /// <summary>Bytes of a coordinate, and of r and of s.</summary>
    public int CoordinateBytes => Order.Length;

    public static EcCurve? Named(string name) => name switch
    {
        "P-256" => P256,
        "P-384" => P384,
        "P-521" => P521,
        _ => null,
    };
}
