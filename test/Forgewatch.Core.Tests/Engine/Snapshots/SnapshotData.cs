using System.Globalization;
using System.Text;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Tests.Detections;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine.Snapshots;

/// <summary>
/// Events in time order with their tenants and what the built-in detections run with: the repository's
/// sample logs, or a story written with <see cref="Scenario"/> in which every built-in detection fires
/// (with mixed-case names, so that a dictionary restored with the wrong comparer shows).
/// </summary>
internal sealed record SnapshotData(string Name, IReadOnlyList<(AuditEvent Event, string Tenant)> Events, DetectionOptions Options, IndicatorSet Indicators, CoverageMap Coverage)
{
    private static readonly Lazy<SnapshotData> LazySamples = new(LoadSamples);
    private static readonly Lazy<SnapshotData> LazyStory = new(() => Story(days: 10, users: 6, seed: 2024));

    public int Count => Events.Count;

    public static SnapshotData Get(string name) => name switch
    {
        "samples" => LazySamples.Value,
        "story" => LazyStory.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public DetectionEngine NewEngine() => new(BuiltInDetections.Create(), new DetectionContext(Options, Indicators, Coverage));

    public DetectionEngine Restore(byte[] snapshot) => EngineSnapshot.Read(snapshot, BuiltInDetections.Create(), Options, Indicators, Coverage);

    public void Feed(DetectionEngine engine, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            engine.Process(Events[i].Event, Events[i].Tenant);
        }
    }

    /// <summary>Finishes the engine and returns its <see cref="Fingerprint"/>.</summary>
    public static string Finish(DetectionEngine engine)
    {
        engine.Finish();
        return Fingerprint(engine);
    }

    /// <summary>The fingerprint of every event run through fresh detections without a break.</summary>
    public string Uninterrupted()
    {
        DetectionEngine engine = NewEngine();
        Feed(engine, 0, Count);
        return Finish(engine);
    }

    /// <summary>Every member of every alert in the order they were opened, the evaluation counts and the
    /// events seen: what a host writes out, and then some.</summary>
    public static string Fingerprint(DetectionEngine engine)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"events {engine.Events}\n");
        foreach (Alert a in engine.Context.Alerts.Alerts)
        {
            text.AppendJoin(" | ", [a.Id, a.Detection, a.Title, a.Tenant, a.Group, a.User, a.Mailbox, a.FirstSeen.ToString("O"), a.LastSeen.ToString("O"),
                a.Severity.Name(), a.Confidence.Name(), a.Reason, a.Attributes.ToString(), a.Incident, a.EvidenceCount.ToString(CultureInfo.InvariantCulture)]);
            text.Append("\n  details ").AppendJoin(", ", a.Details.Select(d => $"{d.Key}={d.Value}"));
            text.Append("\n  evidence ").AppendJoin(", ", a.EvidenceIds);
            text.Append("\n  actors ").AppendJoin(", ", a.ActorKeys.Select(k => k.ToString())).Append('\n');
        }

        foreach ((string detection, string tenant, long evaluated, var notEvaluated) in engine.Context.Evaluation.Entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"evaluated {detection} {tenant} {evaluated}");
            foreach ((string reason, long records, DateTime first, DateTime last) in notEvaluated)
            {
                text.Append(CultureInfo.InvariantCulture, $"; not {reason} {records} {first:O} {last:O}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static SnapshotData LoadSamples()
    {
        IReadOnlyList<InputFile> files = InputFiles.Expand([Path.Combine(RepositoryPaths.Samples, "simulated", "logs")], out IReadOnlyList<string> missing);
        Assert.Empty(missing);
        var read = new List<AuditEvent>();
        new LogReader().ReadAsync(files, batch =>
        {
            lock (read)
            {
                read.AddRange(batch.Events);
            }
        }).GetAwaiter().GetResult();
        var dedup = new RecordDeduplicator();
        List<AuditEvent> events = [.. read.OrderBy(e => e.Origin.Source, StringComparer.Ordinal).ThenBy(e => e.Origin.ByteOffset).Where(dedup.IsFirst).OrderBy(e => e.Time)];
        return With("samples", events, new DetectionOptions(), Storm0558Indicators.Create());
    }

    private static SnapshotData With(string name, List<AuditEvent> events, DetectionOptions options, IndicatorSet indicators)
    {
        var coverage = new CoverageMap();
        foreach (AuditEvent e in events)
        {
            coverage.Add(e);
        }

        return new SnapshotData(name, [.. events.Select(e => (e, coverage.TenantOf(e)))], options, indicators, coverage);
    }

    /// <summary>
    /// Days of ordinary work (sign-ins, reads with linked sessions, now and then a read at night, a forged
    /// session or a read of a colleague's mailbox) in two tenants and in records naming no tenant, with
    /// attacks on set days: a password spray and its success, a sync burst from a rare address, an
    /// application reading many mailboxes (twice, so the second is habitual), a forwarding rule, reads from a
    /// published Storm-0558 address.
    /// </summary>
    public static SnapshotData Story(int days, int users, int seed)
    {
        var s = new Scenario();
        var random = new Random(seed);
        string[] people = [.. Enumerable.Range(0, users).Select(u => $"user{u}@{(u % 3 == 2 ? "fabrikam.com" : "contoso.com")}")];
        string[] apps = [OutlookDesktop, ExchangeOnline, UnknownApp, OtherApp, UnknownApp.ToUpperInvariant(), "11111111-2222-3333-4444-555555555555"];
        string Cased(string value) => random.Next(4) == 0 ? value.ToUpperInvariant() : value;
        string? TenantOf(int u) => random.Next(12) == 0 ? null : u % 3 == 2 ? OtherTenant : Tenant;
        const string Storm = "146.70.157.45";
        const string Rare = "192.0.2.149";

        for (int day = 1; day <= days; day++)
        {
            for (int u = 0; u < users; u++)
            {
                string user = people[u];
                string home = $"198.51.100.{20 + u}";
                string session = $"sess-{u}-{day}";
                string token = $"tok-{u}-{day}";
                DateTime start = At(day, 7 + (u % 3), random.Next(60));
                s.SignIn(start, user: Cased(user), ip: home, session: session, token: token, tenant: TenantOf(u),
                    log: random.Next(3) == 0 ? LogKind.EntraNonInteractiveSignIn : LogKind.EntraInteractiveSignIn);
                if (random.Next(5) == 0)
                {
                    s.SignIn(start.AddMinutes(-3), user: user, ip: home, succeeded: false, tenant: TenantOf(u));
                }

                for (int k = random.Next(3, 9); k > 0; k--)
                {
                    DateTime time = start.AddMinutes(random.Next(1, 600));
                    bool forged = random.Next(25) == 0;
                    string mailbox = random.Next(8) == 0 ? people[random.Next(users)] : user;
                    s.Read(time, mailbox: Cased(mailbox), user: Cased(user), app: apps[random.Next(apps.Length)], ip: home,
                        session: forged ? $"forged-{day}-{u}-{k}" : Cased(session), token: forged ? null : token, tenant: TenantOf(u));
                }

                if (day > 4 && random.Next(6) == 0)
                {
                    s.Read(At(day, 2, random.Next(60)), mailbox: user, app: OutlookDesktop, ip: home, session: session, tenant: TenantOf(u));
                }
            }

            if (day % 5 == 0)
            {
                // A password spray from one address, then a guessed password.
                for (int u = 0; u < Math.Min(users, 4); u++)
                {
                    s.SignIn(At(day, 3, 2 * u), user: people[u], ip: AttackerIp, succeeded: false);
                }

                s.SignIn(At(day, 3, 20), user: Cased(people[0]), ip: AttackerIp, session: $"spray-{day}");
            }

            if (day % 4 == 2)
            {
                // A mailbox downloaded folder by folder from an address its owner rarely signs in from.
                for (int f = 0; f < 7; f++)
                {
                    s.Sync(At(day, 4, 3 * f), [$"\\Folder{f}", $"\\folder{f}\\Sub"], mailbox: people[1], ip: Rare);
                }
            }

            if (day % 3 == 0)
            {
                // One application reading many mailboxes within minutes.
                for (int m = 0; m < users; m++)
                {
                    s.Read(At(day, 5, m), mailbox: Cased(people[m]), user: "svc@contoso.com", app: Cased(OtherApp), ip: "203.0.113.7", session: $"sess-many-{day}");
                }
            }

            if (day % 4 == 3)
            {
                s.Admin(At(day, 6), "New-InboxRule", parameters: [new NamedValue("Mailbox", people[0]), new NamedValue("ForwardTo", "out@mail.example")]);
                s.Admin(At(day, 6, 5), "Add-MailboxPermission", parameters: [new NamedValue("Identity", people[1]), new NamedValue("User", Eve), new NamedValue("AccessRights", "FullAccess")]);
                s.Read(At(day, 6, 30), mailbox: people[1], user: Eve, ip: Storm, session: $"storm-{day}");
            }
        }

        var options = new DetectionOptions
        {
            BaselineWindow = TimeSpan.FromDays(3),
            UnusualHourMinDays = 2,
            ManyMailboxesThreshold = 3,
            SyncBurstFolders = 5,
            AlertMergeGap = TimeSpan.FromHours(12),
        };
        return With("story", [.. s.Records.OrderBy(e => e.Time)], options, Storm0558Indicators.Create());
    }
}
