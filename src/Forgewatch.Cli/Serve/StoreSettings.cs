using System.CommandLine;
using Forgewatch.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Forgewatch.Cli.Serve;

/// <summary>
/// Where <c>tenant</c> and <c>hunt</c> find the server's store: the settings <c>serve</c> reads
/// (<c>appsettings.json</c> in the working folder, then environment variables such as
/// <c>Forgewatch__PostgreSQL</c> and <c>Forgewatch__Data</c>, then <c>--data</c>), so that they work on the
/// store the server uses. The PostgreSQL connection string has no flag: a command line is visible to every
/// user of the machine, and the string usually holds a password.
/// </summary>
internal static class StoreSettings
{
    public static ServerOptions Read(ParseResult parse, Option<string> data)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var overrides = new Dictionary<string, string?>();
        if (parse.GetResult(data) is { Implicit: false })
        {
            overrides[$"{ServerOptions.Section}:{nameof(ServerOptions.Data)}"] = parse.GetValue(data);
        }

        IConfiguration configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        return configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
    }
}
