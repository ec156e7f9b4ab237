namespace Forgewatch.Simulator.Model;

/// <summary>
/// Benign IP addresses, from 198.18.0.0/15 (RFC 2544, set aside for benchmarks, so never a real
/// attacker's): fixed ones handed out in turn (offices, homes, applications) from 198.18.0.0/16, mobile
/// carrier addresses from 198.19.0.0/17 and hotel networks from 198.19.128.0/17, drawn at random. The
/// attackers' fresh addresses come from elsewhere (see <see cref="Playbooks.AttackerAddresses"/>).
/// </summary>
internal sealed class Addresses
{
    /// <summary>Fixed addresses there are: 198.18.0.0/16 without the .0 and .255 of each /24.</summary>
    public const int Capacity = 256 * 254;

    private int _next = 1;

    /// <summary>A fixed address nobody else has.</summary>
    public string Take()
    {
        while ((_next & 255) is 0 or 255)
        {
            _next++;
        }

        if (_next >= 1 << 16)
        {
            throw new InvalidOperationException("Out of fixed benign addresses in 198.18.0.0/16: simulate fewer mailboxes or tenants per run.");
        }

        int n = _next++;
        return $"198.18.{n >> 8}.{n & 255}";
    }

    public static string Mobile(Randomness.SimRandom random) => $"198.19.{random.Below(128)}.{random.Between(1, 254)}";

    public static string Hotel(Randomness.SimRandom random) => $"198.19.{128 + random.Below(128)}.{random.Between(1, 254)}";
}
