using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// One person's ordinary days: signing in at the start of the working day in their own time zone, in
/// the session that sign-in creates, tokens refreshed through the day, mail read in their mailbox (and a
/// shared one, as a delegate) with the client and from the address of the day, a quick look at the phone
/// on some weekends. Each person has a random stream of their own, so people are simulated side by side
/// on every core and the records do not depend on which finished first.
/// </summary>
internal sealed class PersonDay(SimTenant tenant, SimulationClock clock, SimUser user, SimRandom random, int mailLow, int mailHigh)
{
    /// <summary>Chance that a record is marked throttled (auditing dropped some of that mailbox's records).</summary>
    private const double ThrottledChance = 0.002;

    /// <summary>The person's records of <paramref name="day"/>. Mailboxes must not change meanwhile (mail is
    /// delivered before): a delegate reads a shared mailbox other people read too.</summary>
    public void Run(int day, bool weekday, DayBuffer buffer)
    {
        user.TokensToday.Clear();
        if (weekday)
        {
            WorkDay(day, buffer);
        }
        else if (random.Chance(0.3))
        {
            WeekendLook(day, buffer);
        }
    }

    private void WorkDay(int day, DayBuffer buffer)
    {
        Client client = ClientFor(day);
        string address = AddressFor(client, day);
        DateTime midnightLocal = clock.DayStart(day).AddHours(-user.UtcOffsetHours);
        DateTime start = midnightLocal.AddMinutes(7 * 60 + 15 + random.Below(100)).AddSeconds(random.Below(60));
        DateTime end = midnightLocal.AddMinutes(16 * 60 + 20 + random.Below(100));
        var session = new Session(random.Guid(), user.TravelDays.Contains(day) ? "Chicago" : "Arlington");
        SignIn(client, address, start, session, interactive: true, buffer);
        for (DateTime t = start.AddMinutes(random.Between(50, 110)); t < end; t = t.AddMinutes(random.Between(50, 110)))
        {
            SignIn(client, address, t, session, interactive: false, buffer);
        }

        int reads = random.Between(mailLow, mailHigh);
        TimeSpan slot = (end - start) / (reads + 1);
        for (int i = 0; i < reads; i++)
        {
            DateTime t = start + (slot * i) + TimeSpan.FromSeconds(random.Between(60, Math.Max(61, (int)slot.TotalSeconds)));
            Read(user.Mailbox, client, address, t, session, logonType: 0, buffer);
        }

        if (user.DelegateOf is { } shared)
        {
            for (int i = random.Between(1, 3); i > 0; i--)
            {
                DateTime t = start + TimeSpan.FromSeconds(random.Between(600, Math.Max(601, (int)(end - start).TotalSeconds - 60)));
                Read(shared, client, address, t, session, logonType: 2, buffer);
            }
        }
    }

    private void WeekendLook(int day, DayBuffer buffer)
    {
        (Client client, _) = user.Clients.FirstOrDefault(c => c.Client.Mobile);
        if (client is null)
        {
            return;
        }

        string address = random.Chance(0.6) ? user.HomeAddress : Addresses.Mobile(random);
        DateTime start = clock.DayStart(day).AddHours(-user.UtcOffsetHours).AddMinutes(random.Between(8 * 60, 20 * 60));
        var session = new Session(random.Guid(), "Arlington");
        SignIn(client, address, start, session, interactive: true, buffer);
        Read(user.Mailbox, client, address, start.AddSeconds(random.Between(20, 600)), session, 0, buffer);
        SignIn(client, address, start.AddMinutes(random.Between(60, 80)), session, interactive: false, buffer);
    }

    private Client ClientFor(int day)
    {
        if (user.NewClient is { } fresh && day >= user.NewClientDay && random.Chance(0.5))
        {
            return fresh;
        }

        int total = user.Clients.Sum(c => c.Weight);
        int pick = random.Below(total);
        foreach ((Client client, int weight) in user.Clients)
        {
            pick -= weight;
            if (pick < 0)
            {
                return client;
            }
        }

        return user.Clients[0].Client;
    }

    private string AddressFor(Client client, int day)
    {
        if (user.TravelDays.Contains(day))
        {
            return client.Mobile ? Addresses.Mobile(random) : Addresses.Hotel(random);
        }

        if (client.Mobile && (user.OfficeAddress is null || random.Chance(0.5)))
        {
            return Addresses.Mobile(random);
        }

        return user.OfficeAddress is { } office && random.Chance(0.9) ? office : user.HomeAddress;
    }

    private void SignIn(Client client, string address, DateTime time, Session session, bool interactive, DayBuffer buffer)
    {
        string token = random.Token();
        user.TokensToday.Add(new IssuedToken(time, session.Id, token, client, address));
        string deviceKey = user.NewClient == client ? client.Name + "-new" : client.Name;
        buffer.Add(new SignIn
        {
            Time = time,
            Id = random.NextGuid(),
            TenantId = tenant.Id,
            UserDisplayName = user.DisplayName,
            Upn = user.Upn,
            UserId = user.ObjectId,
            AppId = client.AppId,
            AppDisplayName = client.AppDisplayName,
            IpAddress = address,
            ClientAppUsed = client.ClientAppUsed,
            UserAgent = client.UserAgent,
            CorrelationId = random.NextGuid(),
            SessionId = session.Id,
            TokenId = token,
            Interactive = interactive,
            DeviceId = user.Devices.GetValueOrDefault(deviceKey, ""),
            DeviceName = client.Mobile ? $"{user.DisplayName.Split(' ')[0]}'s phone" : "WS-" + user.ObjectId[..6].ToUpperInvariant(),
            OperatingSystem = client.OperatingSystem,
            Browser = client.Browser,
            City = session.City,
            CountryOrRegion = "US",
        });
    }

    private void Read(Mailbox mailbox, Client client, string address, DateTime time, Session session, int logonType, DayBuffer buffer)
    {
        (DateTime issued, string token) = TokenAt(session, time);
        bool sync = random.Chance(0.12);
        IReadOnlyList<FolderRead> folders;
        if (sync)
        {
            folders = [new FolderRead(random.Chance(0.7) ? "\\Inbox" : random.Pick(mailbox.Folders), [])];
        }
        else
        {
            string path = random.Chance(0.6) ? "\\Inbox" : random.Pick(mailbox.Folders);
            IReadOnlyList<long> messages = mailbox.In(path);
            if (messages.Count == 0)
            {
                path = "\\Inbox";
                messages = mailbox.In(path);
            }

            int take = Math.Min(messages.Count, random.Between(1, 3));
            var picked = new List<long>(take);
            for (int i = 0; i < take; i++)
            {
                long message = messages[messages.Count - 1 - random.Below(Math.Min(messages.Count, 8))];
                if (!picked.Contains(message))
                {
                    picked.Add(message);
                }
            }

            folders = [new FolderRead(path, picked)];
        }

        var who = new Reader
        {
            ActorId = user.Upn,
            ActorKey = user.UserKey,
            ActorSid = user.Sid,
            AppId = client.AppId,
            ClientInfo = client.ClientInfo,
            Address = address,
            SessionId = session.Id,
            TokenId = token,
            TokenIssued = issued,
            TokenObjectId = user.ObjectId,
            Rest = client.Mobile,
            LogonType = logonType,
        };
        buffer.Add(MailAccess.By(who, tenant, mailbox, time, sync ? "Sync" : "Bind", folders, random, ThrottledChance, withoutClientApp: client == Client.Desktop && sync));
    }

    /// <summary>The token a client of <paramref name="session"/> holds at <paramref name="time"/>: the newest
    /// its sign-ins issued by then (the first one for a read in the seconds before it, which cannot happen
    /// with the times drawn here).</summary>
    private (DateTime Issued, string Token) TokenAt(Session session, DateTime time)
    {
        (DateTime, string)? current = null;
        foreach (IssuedToken issued in user.TokensToday)
        {
            if (issued.SessionId != session.Id)
            {
                continue;
            }

            if (current is not null && issued.Issued > time)
            {
                break;
            }

            current = (issued.Issued, issued.TokenId);
        }

        return current!.Value;
    }

    /// <summary>An Entra session of the day, and where the user is (sign-ins carry a location).</summary>
    private sealed record Session(string Id, string City);
}
