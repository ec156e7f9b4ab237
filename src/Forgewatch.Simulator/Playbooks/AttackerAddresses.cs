using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Where one tenant's attackers come from: a few of the addresses Microsoft published for Storm-0558
/// (2023-07-14: SoftEther proxies and token web panels), and mostly fresh VPN and proxy addresses no
/// indicator list names, from the documentation ranges (RFC 5737), which no benign record uses. No address
/// is handed out twice in a tenant: separate attacks are separate actors, and a shared address would join
/// them into one incident.
/// </summary>
internal sealed class AttackerAddresses(SimRandom random)
{
    public static readonly string[] Published = ["146.70.157.45", "185.38.142.229", "51.89.156.153", "176.31.90.129", "193.36.119.45", "185.158.248.159"];

    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <summary>A fresh address: 192.0.2.0/24 or 203.0.113.0/24.</summary>
    public string Fresh()
    {
        while (true)
        {
            string address = $"{(random.Chance(0.5) ? "192.0.2" : "203.0.113")}.{random.Between(1, 254)}";
            if (_given.Add(address))
            {
                return address;
            }
        }
    }

    /// <summary>Mostly fresh, one time in four a published one (while any is left).</summary>
    public string Any()
    {
        if (random.Chance(0.25))
        {
            string published = random.Pick(Published);
            if (_given.Add(published))
            {
                return published;
            }
        }

        return Fresh();
    }
}
