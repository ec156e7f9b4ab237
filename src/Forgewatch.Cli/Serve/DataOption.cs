using System.CommandLine;
using Forgewatch.Server.Hosting;

namespace Forgewatch.Cli.Serve;

/// <summary>The <c>--data DIR</c> option that <c>serve</c>, <c>tenant</c> and <c>hunt</c> share.</summary>
internal static class DataOption
{
    public static Option<string> Create() => new("--data")
    {
        Description = $"The server's data folder (SQLite database and incoming batches); created if needed. Default: {ServerOptions.DefaultDataDirectory} in the working folder, or the Forgewatch:Data setting. With the Forgewatch:PostgreSQL setting (a connection string), the store is that database instead.",
        DefaultValueFactory = _ => ServerOptions.DefaultDataDirectory,
        HelpName = "DIR",
    };
}
