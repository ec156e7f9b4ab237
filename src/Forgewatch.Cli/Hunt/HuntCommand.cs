using System.CommandLine;
using Forgewatch.Cli.Serve;
using Forgewatch.Core.Indicators;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Hunting;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;

namespace Forgewatch.Cli.Hunt;

/// <summary>
/// <c>forgewatch hunt --ioc FILE [--tenant ID] [--data DIR]</c>: retro-hunt. The indicator file is kept for the
/// tenant (every tenant when none is named) and the tenant's whole stored history is investigated again at
/// once, so past matches become incidents; a running server announces them (docs/serve.md). The store is the
/// one the server's settings choose (<see cref="StoreSettings"/>).
/// </summary>
internal static class HuntCommand
{
    public static Command Create()
    {
        var ioc = new Option<string>("--ioc") { Description = "An indicator file: CSV (type,value[,description]) or STIX 2.1 JSON (docs/formats.md).", Required = true, HelpName = "FILE" };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant to hunt in (default: every tenant).", HelpName = "ID" };
        var data = DataOption.Create();
        var command = new Command("hunt", "Match new indicators of compromise against the stored history of the server's tenants: past matches become incidents.") { ioc, tenant, data };
        command.SetAction(parse => Run(parse.GetValue(ioc)!, parse.GetValue(tenant), StoreSettings.Read(parse, data)));
        return command;
    }

    private static int Run(string file, string? only, ServerOptions options)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot read {file}: {e.Message}");
        }

        if (content.Length > IndicatorUpload.MaxBytes)
        {
            return Fail($"{file} is over {IndicatorUpload.MaxBytes:N0} bytes.");
        }

        (int indicators, IReadOnlyList<IndicatorRejection> rejected) = IndicatorUpload.Check(content, file);
        foreach (IndicatorRejection r in rejected)
        {
            System.Console.Error.WriteLine($"forgewatch hunt: indicator not used: {Reports.Terminal.TerminalText.Safe(r.Location, 80)}: {Reports.Terminal.TerminalText.Safe(r.Reason, 300)}");
        }

        if (indicators == 0)
        {
            return Fail($"{file} holds no indicator that can be used.");
        }

        try
        {
            using IServerStore store = ServerStores.Open(options);
            string[] tenants = [.. store.ListTenants().Select(t => t.Id).Where(id => only is null || id == only)];
            if (tenants.Length == 0)
            {
                return Fail(only is null ? "There are no tenants." : $"There is no tenant \"{only}\".");
            }

            System.Console.Out.WriteLine($"{indicators:N0} indicator(s) from {file}; {rejected.Count:N0} not used.");
            foreach (string id in tenants)
            {
                HashSet<string> before = [.. store.ListIncidents(id, null, null, null).Select(i => i.Id)];
                store.AddIndicatorFile(id, Path.GetFileName(file), content, DateTimeOffset.UtcNow);
                IReadOnlyList<StoredIncident> after = TenantInvestigation.InvestigateAndSave(store, id, DateTimeOffset.UtcNow);
                StoredIncident[] found = [.. after.Where(i => !before.Contains(i.Id))];
                System.Console.Out.WriteLine($"{id}: {store.CountEvents(id):N0} stored events hunted; {after.Count} incident(s), {found.Length} new.");
                foreach (StoredIncident incident in found)
                {
                    System.Console.Out.WriteLine($"  new: {incident.Id} ({Core.Alerts.SeverityNames.Name(incident.Severity)}, {incident.FirstSeen:yyyy-MM-dd HH:mm} to {incident.LastSeen:yyyy-MM-dd HH:mm} UTC)");
                }
            }

            return ExitCodes.Ok;
        }
        catch (Exception e) when (ServerStores.Problem(options, e) is { } problem)
        {
            return Fail(problem);
        }
    }

    private static int Fail(string message)
    {
        System.Console.Error.WriteLine($"forgewatch hunt: {message}");
        return ExitCodes.UsageOrIoError;
    }
}
