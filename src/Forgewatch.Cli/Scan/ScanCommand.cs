using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Forgewatch.Core.Alerts;

namespace Forgewatch.Cli.Scan;

/// <summary><c>forgewatch scan PATH... [--out DIR] [--ioc FILE] [--since T] [--until T] [--tenant ID] [--fail-on SEVERITY]</c>.</summary>
internal static class ScanCommand
{
    public const string DefaultOut = "forgewatch-out";

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Log files or folders (read recursively). Any mix of shapes, gzip or not: the format is recognized from the content.",
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder for alerts.jsonl, incidents.jsonl, exposure.csv, report.html, rejected.jsonl and coverage.json (created if needed).",
            DefaultValueFactory = _ => DefaultOut,
            HelpName = "DIR",
        };
        var ioc = new Option<string[]>("--ioc")
        {
            Description = "Indicator file, CSV (type,value[,description]) or STIX 2.1 JSON; repeatable. Added to the built-in Storm-0558 indicators.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
        };
        var since = new Option<DateTime?>("--since")
        {
            Description = "Examine only events at or after this time (ISO 8601; UTC unless an offset is given).",
            HelpName = "TIME",
            CustomParser = ParseTime,
        };
        var until = new Option<DateTime?>("--until")
        {
            Description = "Examine only events before this time (ISO 8601; UTC unless an offset is given).",
            HelpName = "TIME",
            CustomParser = ParseTime,
        };
        var tenant = new Option<string[]>("--tenant")
        {
            Description = "Examine only this tenant id; repeatable.",
            HelpName = "ID",
            Arity = ArgumentArity.OneOrMore,
        };
        var failOn = new Option<Severity?>("--fail-on")
        {
            Description = "Exit with 1 when an incident of this severity or above is found: low, medium, high or critical.",
            HelpName = "SEVERITY",
            CustomParser = ParseSeverity,
        };
        var allowApp = new Option<string[]>("--allow-app")
        {
            Description = "Application id to treat as a first-party mail client (added to the built-in allowlist); repeatable.",
            HelpName = "APPID",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("scan", "Read audit and sign-in logs, detect forged-token and mailbox-intrusion activity, and say what was read.")
        {
            paths,
            output,
            ioc,
            since,
            until,
            tenant,
            failOn,
            allowApp,
        };
        command.SetAction((parse, cancellationToken) => new ScanRunner(new ScanOptions
        {
            Paths = parse.GetValue(paths)!,
            OutDirectory = parse.GetValue(output)!,
            IndicatorFiles = parse.GetValue(ioc) ?? [],
            Since = parse.GetValue(since),
            Until = parse.GetValue(until),
            Tenants = parse.GetValue(tenant) ?? [],
            FailOn = parse.GetValue(failOn),
            AllowedApps = parse.GetValue(allowApp) ?? [],
        }).RunAsync(cancellationToken));
        return command;
    }

    private static DateTime? ParseTime(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time))
        {
            return DateTime.SpecifyKind(time, DateTimeKind.Utc);
        }

        result.AddError($"'{text}' is not a time; use ISO 8601, e.g. 2023-06-01 or 2023-06-01T08:00:00Z.");
        return null;
    }

    private static Severity? ParseSeverity(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (SeverityNames.TryParse(text, out Severity severity))
        {
            return severity;
        }

        result.AddError($"'{text}' is not a severity; use low, medium, high or critical.");
        return null;
    }
}
