using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// One tenant's ordinary days: mail arriving, people's days (see <see cref="PersonDay"/>: signing in in
/// their own time zone, reading mail in the session that sign-in created, tokens refreshed through the
/// day, phones on changing carrier addresses, trips, a new client now and then, delegates reading shared
/// mailboxes, the odd throttled record), and a line-of-business application reading many mailboxes at
/// night. Everything a detection must not mistake for an intruder.
/// </summary>
internal sealed class BenignActivity(SimTenant tenant, SimulationClock clock, SimRandom random, int mailLow, int mailHigh)
{
    private PersonDay[]? _people;

    public void Plan()
    {
        foreach (SimUser user in tenant.Users)
        {
            // One in six gets a new client during the period: a new phone, or the new Outlook.
            if (random.Chance(1.0 / 6) && clock.Days > 3)
            {
                user.NewClientDay = random.Between(clock.Days / 3, clock.Days - 1);
                user.NewClient = random.Pick([Client.Ios, Client.Android, Client.NewOutlook]);
                user.Devices[user.NewClient.Name + "-new"] = random.Guid();
            }

            // One in eight travels once: two to four days reading from hotels and phones.
            if (random.Chance(1.0 / 8) && clock.Days > 5)
            {
                int from = random.Below(clock.Days - 4);
                for (int d = from, n = random.Between(2, 4); d < from + n; d++)
                {
                    user.TravelDays.Add(d);
                }
            }
        }

        // Mailboxes hold mail from before the first day.
        foreach (Mailbox mailbox in tenant.Mailboxes)
        {
            foreach (string folder in mailbox.Folders)
            {
                if (folder is not ("\\Drafts" or "\\Deleted Items"))
                {
                    for (int i = 0; i < 6; i++)
                    {
                        mailbox.Deliver(folder);
                    }
                }
            }
        }
    }

    public void Run(int day, DayBuffer buffer)
    {
        foreach (Mailbox mailbox in tenant.Mailboxes)
        {
            Deliver(mailbox);
        }

        bool weekday = clock.IsWeekday(day);
        _people ??= [.. tenant.Users.Select((user, i) => new PersonDay(tenant, clock, user, random.Fork($"person-{i}"), mailLow, mailHigh))];
        Parallel.ForEach(_people, person => person.Run(day, weekday, buffer));

        if (tenant.LobApp is { } lob)
        {
            LobNight(lob, day, buffer);
        }
    }

    private void Deliver(Mailbox mailbox)
    {
        int count = random.Between(mailLow, mailHigh + 2);
        for (int i = 0; i < count; i++)
        {
            string folder = random.Below(10) switch
            {
                < 6 => "\\Inbox",
                6 => "\\Sent Items",
                _ => mailbox.Folders[random.Between(Math.Min(5, mailbox.Folders.Count - 1), mailbox.Folders.Count - 1)],
            };
            mailbox.Deliver(folder);
        }
    }

    private void LobNight(LobApp lob, int day, DayBuffer buffer)
    {
        DateTime start = clock.DayStart(day).AddHours(lob.Hour).AddMinutes(random.Below(20));
        string token = random.Token();

        // Client credentials: the application signs in as itself; its token names no user and no session.
        buffer.Add(SignIn.AsApplication(random, tenant.Id, lob.AppId, lob.ServicePrincipalId, lob.Name, start.AddMinutes(-1), lob.Address, token, "Boydton", "US"));
        var who = new Reader
        {
            ActorId = lob.AppId,
            ActorKey = lob.AppId,
            ActorSid = tenant.SidPrefix + "9001",
            AppId = lob.AppId,
            ClientInfo = "Client=REST;Client=RESTSystem;;",
            Address = lob.Address,
            SessionId = null,
            TokenId = token,
            TokenIssued = start.AddMinutes(-1),
            TokenObjectId = lob.AppId,
        };
        int i = 0;
        foreach (SimUser user in lob.Reads)
        {
            DateTime time = start.AddSeconds(i++ * random.Between(2, 9));
            buffer.Add(MailAccess.By(who, tenant, user.Mailbox, time, "Sync", [new FolderRead("\\Inbox", [])], random));
        }
    }
}
