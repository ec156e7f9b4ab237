using System.CommandLine;
using Forgewatch.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Forgewatch.Cli.Serve;

/// <summary><c>forgewatch serve [--data DIR] [--urls URL]</c>: runs the ingestion server until stopped
/// (docs/serve.md).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = DataOption.Create();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (default: ASP.NET Core's, http://localhost:5000; or the 'urls' setting).",
            HelpName = "URL",
        };
        var command = new Command("serve", "Run the ingestion server: tenants push audit records to POST /api/v1/tenants/{tenant}/events with their ingestion key; records are stored durably before the answer. Stop with Ctrl+C.")
        {
            data,
            urls,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetResult(data) is { Implicit: false })
            {
                overrides[$"{ServerOptions.Section}:{nameof(ServerOptions.Data)}"] = parse.GetValue(data);
            }

            if (parse.GetValue(urls) is { } listen)
            {
                overrides["urls"] = listen;
            }

            WebApplication app;
            try
            {
                app = ForgewatchServer.Build([], overrides);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                await System.Console.Error.WriteLineAsync($"forgewatch serve: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }

            await using (app.ConfigureAwait(false))
            {
                LimitHeap(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.HeapLimitMiB);
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Bounds the garbage-collected heap of this process (<c>Forgewatch:HeapLimitMiB</c>): without a
    /// bound, the collector lets a server that allocates fast grow several times past what it holds live.</summary>
    private static void LimitHeap(int mebibytes)
    {
        if (mebibytes > 0)
        {
            AppContext.SetData("GCHeapHardLimit", (ulong)mebibytes << 20);
            GC.RefreshMemoryLimit();
        }
    }
}
