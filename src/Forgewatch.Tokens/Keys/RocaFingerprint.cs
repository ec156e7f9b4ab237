using System.Numerics;

namespace Forgewatch.Tokens.Keys;

/// <summary>
/// The ROCA fingerprint (CVE-2017-15361, Nemec et al., CCS 2017): moduli made by the Infineon library whose
/// private keys can be recovered. Such a modulus N has, for each small prime p below, N mod p inside the
/// subgroup that 65537 generates modulo p; a random modulus fails that for some p almost surely.
/// </summary>
internal static class RocaFingerprint
{
    private static readonly int[] Primes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];

    /// <summary>Powers of 65537 modulo each prime, as bit sets over residues.</summary>
    private static readonly BigInteger[] Subgroups = Primes.Select(Subgroup).ToArray();

    public static bool Matches(ReadOnlySpan<byte> modulusBigEndian)
    {
        var n = new BigInteger(modulusBigEndian, isUnsigned: true, isBigEndian: true);
        for (int i = 0; i < Primes.Length; i++)
        {
            int residue = (int)(n % Primes[i]);
            if (((Subgroups[i] >> residue) & BigInteger.One).IsZero)
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger Subgroup(int p)
    {
        BigInteger members = BigInteger.Zero;
        int g = 65537 % p;
        int power = 1;
        do
        {
            members |= BigInteger.One << power;
            power = power * g % p;
        }
        while (power != 1);
        return members;
    }
}
