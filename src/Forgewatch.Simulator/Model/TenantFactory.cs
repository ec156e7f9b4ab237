using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Model;

/// <summary>
/// Makes a tenant's people and mailboxes: mostly in the tenant's time zone with a few colleagues abroad,
/// a mix of desktop, web and mobile clients, offices, branches and home workers, a shared mailbox per
/// twenty-five people read by delegates, and a line-of-business application with app-only mail access.
/// </summary>
internal static class TenantFactory
{
    /// <summary>Tenant names; none is a domain of the hand-written export fixtures (contoso) or of the
    /// benchmark tenant generator (fabrikam-gov), whose tenant-less records are resolved by domain: a
    /// simulated tenant with one of their domains, scanned with them, would make those records' tenant
    /// ambiguous.</summary>
    private static readonly string[] TenantNames = ["northwind-gov", "tailspin-gov", "woodgrove-gov", "adatum-gov", "litware-gov", "proseware-gov", "wingtip-gov", "lucerne-gov", "relecloud-gov", "coho-gov", "alpine-gov", "margie-gov"];

    private static readonly string[] FirstNames = ["Aisha", "Alejandro", "Amara", "Andrei", "Anna", "Ben", "Carmen", "Chen", "Chloe", "David", "Diego", "Elena", "Emeka", "Emily", "Fatima", "Felix", "Grace", "Hana", "Hassan", "Ines", "Isaac", "Ivan", "Jamal", "Jane", "Javier", "Jin", "Kofi", "Laila", "Lars", "Leah", "Lucas", "Maya", "Mei", "Mohammed", "Nadia", "Nina", "Noah", "Olga", "Omar", "Paul", "Pedro", "Rosa", "Ruth", "Sam", "Sara", "Sean", "Sofia", "Tariq", "Thomas", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe"];

    private static readonly string[] LastNames = ["Abbott", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brooks", "Castro", "Chowdhury", "Clarke", "Cohen", "Dubois", "Eriksen", "Farouk", "Fischer", "Garcia", "Greene", "Gupta", "Hansen", "Hartmann", "Ito", "Jensen", "Kaplan", "Kim", "Kowalski", "Kumar", "Larsen", "Lopez", "Mbeki", "Moreau", "Murphy", "Nakamura", "Novak", "Obi", "Oliveira", "Park", "Patel", "Petrov", "Quinn", "Rahman", "Rossi", "Schmidt", "Silva", "Singh", "Sorensen", "Suzuki", "Tanaka", "Torres", "Varga", "Walsh", "Weber", "Wong", "Yilmaz", "Zhang", "Zielinski"];

    private static readonly string[] CommonFolders = ["\\Inbox", "\\Sent Items", "\\Drafts", "\\Archive", "\\Deleted Items"];

    private static readonly string[][] Departments =
    [
        ["\\Inbox\\Finance", "\\Inbox\\Invoices", "\\Inbox\\Audit", "\\Projects\\Budget FY24", "\\Vendors"],
        ["\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation", "\\FOIA Requests"],
        ["\\Inbox\\Alerts", "\\Inbox\\Tickets", "\\Projects\\Tenant Migration", "\\Inbox\\Vendors"],
        ["\\Inbox\\Press", "\\Inbox\\Social", "\\Inbox\\Events"],
        ["\\Inbox\\Reports", "\\Projects\\Harbor Bridge", "\\Inbox\\Data Requests"],
        ["\\Inbox\\Board", "\\Inbox\\Congressional", "\\Inbox\\Briefings", "\\Projects\\Harbor Bridge"],
        ["\\Inbox\\Recruiting", "\\Inbox\\Benefits", "\\Inbox\\Training"],
    ];

    /// <summary>Tenant time zones (hours ahead of UTC) and, for a few people, somewhere else.</summary>
    private static readonly int[] Zones = [-5, -6, -8, 1, 0, 9, 10, -4];

    public static SimTenant Create(int number, int mailboxes, SimRandom random, Addresses addresses)
    {
        string name = TenantNames[number % TenantNames.Length] + (number >= TenantNames.Length ? (number / TenantNames.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        string domain = name + ".onmicrosoft.com";
        string sidPrefix = $"S-1-5-21-{random.Between(1_000_000_000, 2_000_000_000)}-{random.Between(1_000_000_000, 2_000_000_000)}-{random.Between(100_000_000, 999_999_999)}-";
        int zone = Zones[number % Zones.Length];
        string office = addresses.Take();
        string branch = addresses.Take();
        int sharedCount = mailboxes >= 5 ? Math.Max(1, mailboxes / 25) : 0;
        int userCount = mailboxes - sharedCount;
        var users = new List<SimUser>(userCount);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < userCount; i++)
        {
            users.Add(CreateUser(i, domain, sidPrefix, zone, office, branch, random, addresses, taken));
        }

        var shared = new List<Mailbox>(sharedCount);
        for (int i = 0; i < sharedCount; i++)
        {
            string local = i == 0 ? "info" : $"team{i + 1}";
            var mailbox = new Mailbox($"{local}@{domain}", sidPrefix + (9500 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Guid(), Server(random), [.. CommonFolders, "\\Inbox\\Requests"]);
            shared.Add(mailbox);
            for (int d = 0; d < 3; d++)
            {
                SimUser user = users[random.Below(users.Count)];
                user.DelegateOf ??= mailbox;
            }
        }

        LobApp? lob = null;
        if (userCount >= 10)
        {
            var reads = users.Where((_, i) => i % 2 == 0).ToList();
            lob = new LobApp(random.Guid(), random.Guid(), "Records Archiver", addresses.Take(), reads, random.Between(1, 3));
        }

        return new SimTenant
        {
            Id = random.Guid(),
            Domain = domain,
            SidPrefix = sidPrefix,
            Users = users,
            SharedMailboxes = shared,
            LobApp = lob,
        };
    }

    private static SimUser CreateUser(int index, string domain, string sidPrefix, int zone, string office, string branch, SimRandom random, Addresses addresses, HashSet<string> taken)
    {
        string first = random.Pick(FirstNames);
        string last = random.Pick(LastNames);
        string local = $"{first}.{last}".ToLowerInvariant();
        for (int n = 2; !taken.Add(local); n++)
        {
            local = $"{first}.{last}{n}".ToLowerInvariant();
        }

        string[] department = Departments[random.Below(Departments.Length)];
        var clients = random.Below(10) switch
        {
            < 4 => [(Client.Desktop, 1)],
            4 => [(Client.Desktop, 8), (Client.Ios, 2)],
            5 or 6 => [(Client.Web, 1)],
            7 => [(Client.Android, 3), (Client.Web, 2)],
            8 => [(Client.Desktop, 6), (Client.Android, 3)],
            _ => new List<(Client, int)> { (Client.Web, 3), (Client.Ios, 2) },
        };
        // One in ten works from home; one in twelve is abroad, in another time zone.
        bool remote = random.Chance(0.1);
        int offset = random.Chance(1.0 / 12) ? Zones[random.Below(Zones.Length)] : zone;
        string sid = sidPrefix + (1104 + (index * 7)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var user = new SimUser
        {
            Upn = $"{local}@{domain}",
            DisplayName = $"{first} {last}",
            ObjectId = random.Guid(),
            UserKey = "1003" + random.NextUInt64().ToString("X12", System.Globalization.CultureInfo.InvariantCulture)[..12],
            Sid = sid,
            Mailbox = new Mailbox($"{local}@{domain}", sid, random.Guid(), Server(random), [.. CommonFolders, .. department]),
            Clients = clients,
            UtcOffsetHours = offset,
            OfficeAddress = remote ? null : (random.Chance(0.7) ? office : branch),
            HomeAddress = addresses.Take(),
        };
        foreach ((Client client, _) in clients)
        {
            user.Devices.TryAdd(client.Name, random.Guid());
        }

        return user;
    }

    private static string Server(SimRandom random) =>
        $"{random.Pick(["SA1", "BN0", "CY1", "PH0", "SJ0", "DM8", "MN2", "BY5"])}PR09MB{random.Between(1000, 9999)}";
}
