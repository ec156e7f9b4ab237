using System.Text.Json;
using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Output;
using Forgewatch.Simulator.Playbooks;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator;

/// <summary>
/// Runs a simulation: tenants made from the seed, each day's benign activity and attacks generated for all
/// tenants, sorted and written, one day at a time (memory holds one day of records, never the output),
/// then <c>truth.json</c>. The same options give the same bytes.
/// </summary>
public static class Simulation
{
    public const string TruthFileName = "truth.json";

    /// <summary>The logs go in this folder under the output folder, apart from <c>truth.json</c>, so that
    /// <c>forgewatch scan DIR/logs</c> reads logs only.</summary>
    public const string LogsFolder = "logs";

    /// <summary>Chance, per day, of one deliberately malformed line in the audit log (a truncated record).</summary>
    private const double MalformedChance = 0.25;

    /// <summary>Simulates into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="options">What to simulate.</param>
    /// <param name="directory">Where the logs and <c>truth.json</c> go.</param>
    /// <param name="progress">Told after each day is made: days made, lines made so far (records and malformed lines; the last day may still be being written).</param>
    public static TruthFile Run(SimulationOptions options, string directory, Action<int, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        string logs = Path.Combine(directory, LogsFolder);
        Directory.CreateDirectory(logs);
        var clock = new SimulationClock(options.End, options.Days);
        var random = new SimRandom((ulong)(uint)options.Seed);
        var addresses = new Addresses();
        var tenants = new List<(SimTenant Tenant, BenignActivity Benign, List<IPlaybook> Attacks)>();
        for (int t = 0; t < options.Tenants; t++)
        {
            SimRandom tenantRandom = random.Fork($"tenant-{t}");
            SimTenant tenant = TenantFactory.Create(t, options.Mailboxes, tenantRandom.Fork("people"), addresses);
            var benign = new BenignActivity(tenant, clock, tenantRandom.Fork("benign"), options.MailLow, options.MailHigh);
            benign.Plan();
            var attackerAddresses = new AttackerAddresses(tenantRandom.Fork("attacker-addresses"));
            var victims = new VictimPool(tenant);
            List<IPlaybook> attacks = [.. options.Attacks.Distinct(StringComparer.Ordinal).Select(name =>
                PlaybookCatalog.Create(name, new PlaybookContext(tenant, clock, tenantRandom.Fork("attack/" + name), attackerAddresses, victims, $"{name}-{t + 1}")))];
            tenants.Add((tenant, benign, attacks));
        }

        using var buffer = new DayBuffer(clock.Start, clock.End);
        SimRandom malformed = random.Fork("malformed");
        long lines = 0, ual = 0, signIns = 0, broken = 0;
        IReadOnlyList<string> files;
        using (ISimulationSink sink = SinkFactory.Create(options.Shape, logs, options.Gzip))
        {
            // A day is sorted and written while the next is made (and written as JSON, on every core): the
            // files take one core's time that the making would otherwise wait for. At most two days are in
            // memory. Only the writing task counts what was written, one day at a time.
            Task writing = Task.CompletedTask;
            for (int day = 0; day < options.Days; day++)
            {
                foreach ((SimTenant _, BenignActivity benign, List<IPlaybook> attacks) in tenants)
                {
                    benign.Run(day, buffer);
                    foreach (IPlaybook attack in attacks)
                    {
                        attack.Run(day, buffer);
                    }
                }

                EncodedDay taken = buffer.Take();
                if (taken.Count > 0 && malformed.Chance(MalformedChance))
                {
                    taken.AddMalformedAfter(malformed.Below(taken.Count));
                }

                lines += taken.Lines;
                writing.GetAwaiter().GetResult();
                writing = Task.Run(() =>
                {
                    taken.Sort();
                    foreach (SimRecord record in taken.Records())
                    {
                        sink.Write(record);
                        broken += record.Malformed ? 1 : 0;
                        if (record.Log == SimLog.Ual)
                        {
                            ual++;
                        }
                        else
                        {
                            signIns++;
                        }
                    }

                    taken.Release();
                });
                progress?.Invoke(day + 1, lines);
            }

            writing.GetAwaiter().GetResult();
            files = [.. sink.Complete().Select(f => LogsFolder + "/" + f)];
        }

        var truth = new TruthFile
        {
            Seed = options.Seed,
            Start = clock.Start,
            End = clock.End,
            Days = options.Days,
            Shape = options.Shape,
            Files = files,
            Records = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["signins"] = signIns, ["ual"] = ual },
            MalformedLines = broken,
            Tenants = [.. tenants.Select(t => new TruthTenant
            {
                Id = t.Tenant.Id,
                Domain = t.Tenant.Domain,
                Mailboxes = [.. t.Tenant.Mailboxes.Select(m => m.OwnerUpn)],
            })],
            MailboxDays = (long)options.Days * tenants.Sum(t => t.Tenant.Mailboxes.Count()),
            Attacks = [.. tenants.SelectMany(t => t.Attacks).Select(a => a.Truth())],
        };
        File.WriteAllBytes(Path.Combine(directory, TruthFileName), JsonSerializer.SerializeToUtf8Bytes(truth, TruthFile.SerializerOptions));
        return truth;
    }

    private static void Validate(SimulationOptions options)
    {
        if (options.Tenants is < 1 or > 1000)
        {
            throw new ArgumentException("--tenants must be between 1 and 1000.");
        }

        if (options.Mailboxes is < 2 or > 100_000)
        {
            throw new ArgumentException("--mailboxes must be between 2 and 100000.");
        }

        // Every person and a few applications per tenant get a fixed address of their own (Model/Addresses).
        if ((long)options.Tenants * (options.Mailboxes + 3) > Addresses.Capacity)
        {
            throw new ArgumentException($"--tenants times --mailboxes must stay below {Addresses.Capacity - 3:N0}: there are {Addresses.Capacity:N0} fixed benign addresses in 198.18.0.0/16.");
        }

        if (options.Days is < 1 or > 366)
        {
            throw new ArgumentException("--days must be between 1 and 366.");
        }

        if (options.MailLow < 1 || options.MailHigh < options.MailLow)
        {
            throw new ArgumentException("Mail reads per day must be at least 1, the highest at least the lowest.");
        }

        foreach (string attack in options.Attacks)
        {
            if (!PlaybookCatalog.Exists(attack))
            {
                throw new ArgumentException($"Unknown playbook '{attack}'; known: {string.Join(", ", PlaybookCatalog.Names)}.");
            }
        }

        if (options.Gzip && options.Shape != "jsonl")
        {
            throw new ArgumentException("--gzip is for the jsonl shape only (content blobs and Purview exports come uncompressed).");
        }

        if (!SinkFactory.Shapes.Contains(options.Shape))
        {
            throw new ArgumentException($"Unknown shape '{options.Shape}'; known: {string.Join(", ", SinkFactory.Shapes)}.");
        }
    }
}
