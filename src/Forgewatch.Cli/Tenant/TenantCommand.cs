using System.CommandLine;
using System.Text.Json;
using Forgewatch.Cli.Serve;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Spectre.Console;

namespace Forgewatch.Cli.Tenant;

/// <summary>
/// <c>forgewatch tenant add ID --admin EMAIL [--webhook URL] [--data DIR]</c>, <c>tenant list</c> and
/// <c>tenant remove ID</c>: the tenants a server watches (docs/serve.md), in the store the server's settings
/// choose (<see cref="StoreSettings"/>). <c>add</c> prints the new
/// ingestion key alone on standard output; it is shown once and only its hash is kept.
/// </summary>
internal static class TenantCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create() => new("tenant", "Manage the tenants 'forgewatch serve' watches: their admins, webhooks and ingestion keys.")
    {
        CreateAdd(),
        CreateList(),
        CreateRemove(),
    };

    private static Command CreateAdd()
    {
        var id = new Argument<string>("ID") { Description = "The tenant's id in API paths: 1-64 letters, digits, '.', '_' or '-' (an Entra tenant id or domain works)." };
        var admins = new Option<string[]>("--admin")
        {
            Description = "An admin's email address, told of the tenant's incidents; repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "EMAIL",
        };
        var webhook = new Option<string?>("--webhook") { Description = "A URL that receives the tenant's incidents as JSON.", HelpName = "URL" };
        var format = new Option<string>("--webhook-format")
        {
            Description = "The webhook's body: json (Forgewatch's, default), slack or teams (a chat message for an incoming webhook).",
            DefaultValueFactory = _ => WebhookFormats.Json,
            HelpName = "FORMAT",
        };
        var data = DataOption.Create();
        var command = new Command("add", "Add a tenant and print its new ingestion key (shown once; only its hash is stored).") { id, admins, webhook, format, data };
        command.SetAction(parse =>
        {
            string tenantId = parse.GetValue(id)!;
            string[] emails = parse.GetValue(admins) ?? [];
            string? hook = parse.GetValue(webhook);
            if (TenantRules.CheckId(tenantId) is { } badId)
            {
                return Fail(badId);
            }

            return WithStore(StoreSettings.Read(parse, data), store =>
            {
                (Server.Tenants.Tenant? added, string? key, string? secret, string? problem, bool _) = TenantRegistration.Add(store, tenantId, emails, hook, DateTimeOffset.UtcNow, parse.GetValue(format)!);
                if (added is null)
                {
                    return Fail(problem!);
                }

                System.Console.Out.WriteLine(key);
                System.Console.Error.WriteLine($"Tenant {tenantId} added. Its ingestion key is above: keep it now, it is not shown again.");
                if (secret is not null)
                {
                    System.Console.Error.WriteLine($"Webhook messages carry X-Forgewatch-Signature: sha256=HMAC-SHA256(secret, body), with this secret: {secret}");
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command CreateList()
    {
        var data = DataOption.Create();
        var json = new Option<bool>("--json") { Description = "Print a JSON array: id, admins, webhook, created." };
        var command = new Command("list", "List the tenants with their admins and webhooks.") { data, json };
        command.SetAction(parse => WithStore(StoreSettings.Read(parse, data), store =>
        {
            IReadOnlyList<Server.Tenants.Tenant> tenants = store.ListTenants();
            if (parse.GetValue(json))
            {
                System.Console.Out.WriteLine(JsonSerializer.Serialize(
                    tenants.Select(t => new { id = t.Id, admins = t.Admins, webhook = t.Webhook?.AbsoluteUri, webhookFormat = t.Webhook is null ? null : t.WebhookFormat, created = t.Created }),
                    Indented));
                return ExitCodes.Ok;
            }

            if (tenants.Count == 0)
            {
                System.Console.Out.WriteLine("No tenants. Add one with: forgewatch tenant add ID --admin EMAIL");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Tenant", "Admins", "Webhook", "Added (UTC)");
            foreach (Server.Tenants.Tenant t in tenants)
            {
                table.AddRow(Markup.Escape(t.Id), Markup.Escape(string.Join(", ", t.Admins)), Markup.Escape(t.Webhook?.AbsoluteUri ?? "-"), t.Created.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var id = new Argument<string>("ID") { Description = "The tenant to remove, with everything stored for it." };
        var data = DataOption.Create();
        var command = new Command("remove", "Remove a tenant, its key and everything stored for it.") { id, data };
        command.SetAction(parse => WithStore(StoreSettings.Read(parse, data), store =>
        {
            string tenantId = parse.GetValue(id)!;
            if (!store.RemoveTenant(tenantId))
            {
                return Fail($"There is no tenant \"{tenantId}\".");
            }

            System.Console.Error.WriteLine($"Tenant {tenantId} removed.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static int WithStore(ServerOptions options, Func<IServerStore, int> action)
    {
        try
        {
            using IServerStore store = ServerStores.Open(options);
            return action(store);
        }
        catch (Exception e) when (ServerStores.Problem(options, e) is { } problem)
        {
            return Fail(problem);
        }
    }

    private static int Fail(string message)
    {
        System.Console.Error.WriteLine($"forgewatch tenant: {message}");
        return ExitCodes.UsageOrIoError;
    }
}
