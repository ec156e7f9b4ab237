using System.CommandLine;
using System.Diagnostics;
using Forgewatch.Cli.Console;
using Forgewatch.Reports.Terminal;
using Forgewatch.Simulator;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Cli.Simulate;

/// <summary><c>forgewatch simulate --out DIR [--tenants N] [--mailboxes M] [--days D] [--seed S] [--attack PLAYBOOK ...] [--shape SHAPE]</c>.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the logs and truth.json (created if needed; files of the same names are replaced).",
            HelpName = "DIR",
            Required = true,
        };
        var tenants = new Option<int>("--tenants") { Description = "Tenants to simulate.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var mailboxes = new Option<int>("--mailboxes") { Description = "Mailboxes per tenant (people's and shared).", DefaultValueFactory = _ => 50, HelpName = "M" };
        var days = new Option<int>("--days") { Description = "Days of logs, ending 2023-06-01 00:00 UTC.", DefaultValueFactory = _ => 30, HelpName = "D" };
        var seed = new Option<int>("--seed") { Description = "Seed: the same options and seed give the same bytes.", DefaultValueFactory = _ => 1, HelpName = "S" };
        var attack = new Option<string[]>("--attack")
        {
            Description = "Attack playbook to play once in every tenant; repeatable: forged-token, token-replay, bec-inbox-rule, consent-phish, app-impersonation.",
            HelpName = "PLAYBOOK",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var shape = new Option<string>("--shape")
        {
            Description = "Output shape: jsonl (UAL and sign-ins as JSON Lines), management-api (Management Activity API content blobs and Graph sign-in pages) or purview-csv (Purview audit export CSV and sign-ins as JSON Lines).",
            DefaultValueFactory = _ => "jsonl",
            HelpName = "SHAPE",
        };
        var gzip = new Option<bool>("--gzip") { Description = "Write the JSON Lines files gzip-compressed (.jsonl.gz; jsonl shape only)." };
        var command = new Command("simulate", "Write realistic Microsoft 365 audit and Entra sign-in logs for whole tenants, with attacks woven in and the truth recorded in truth.json.")
        {
            output,
            tenants,
            mailboxes,
            days,
            seed,
            attack,
            shape,
            gzip,
        };
        command.SetAction(parse => Run(
            new SimulationOptions
            {
                Tenants = parse.GetValue(tenants),
                Mailboxes = parse.GetValue(mailboxes),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                Attacks = parse.GetValue(attack) ?? [],
                Shape = parse.GetValue(shape)!,
                Gzip = parse.GetValue(gzip),
            },
            parse.GetValue(output)!));
        return command;
    }

    private static int Run(SimulationOptions options, string directory)
    {
        StageTimer.Start();
        var clock = Stopwatch.StartNew();
        bool live = !System.Console.IsErrorRedirected;
        TruthFile truth;
        try
        {
            truth = Simulation.Run(options, directory, (day, records) =>
            {
                if (live)
                {
                    System.Console.Error.Write($"\rforgewatch: simulated day {day}/{options.Days}, {records:N0} records");
                }
            });
        }
        catch (ArgumentException e)
        {
            System.Console.Error.WriteLine($"forgewatch: {e.Message}");
            return ExitCodes.UsageOrIoError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"{(live ? "\n" : "")}forgewatch: cannot write {TerminalText.Safe(directory, 300)}: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        if (live)
        {
            System.Console.Error.WriteLine();
        }

        StageTimer.Mark("simulate");
        long records = truth.Records.Values.Sum();
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        System.Console.WriteLine($"Simulated {truth.Tenants.Count} tenant(s), {truth.Tenants.Sum(t => t.Mailboxes.Count):N0} mailboxes, {truth.Days} days ({truth.Start:yyyy-MM-dd} to {truth.End.AddDays(-1):yyyy-MM-dd}), seed {truth.Seed}.");
        System.Console.WriteLine($"Wrote {records:N0} records ({truth.Records.GetValueOrDefault("ual"):N0} audit, {truth.Records.GetValueOrDefault("signins"):N0} sign-ins, {truth.MalformedLines:N0} malformed on purpose) in {seconds:F1} s ({records / seconds:N0} records/s).");
        foreach (TruthAttack a in truth.Attacks)
        {
            System.Console.WriteLine($"Attack {a.Id}: {a.Mailboxes.Count} mailbox(es), {a.MaliciousRecordIds.Count} malicious records from {a.Began:yyyy-MM-dd HH:mm:ss} UTC.");
        }

        foreach (string file in truth.Files.Append(Simulation.TruthFileName))
        {
            System.Console.WriteLine($"  {Path.Combine(directory, file)}");
        }

        return ExitCodes.Ok;
    }
}
