using System.CommandLine;
using Forgewatch.Server.Hosting;

namespace Forgewatch.Cli.Serve;

/// <summary>The <c>--data DIR</c> option that <c>serve</c> and <c>tenant</c> share.</summary>
internal static class DataOption
{
    public static Option<string> Create() => new("--data")
    {
        Description = $"The server's data folder (database and incoming batches); created if needed. Default: {ServerOptions.DefaultDataDirectory} in the working folder, or the Forgewatch:Data setting.",
        DefaultValueFactory = _ => ServerOptions.DefaultDataDirectory,
        HelpName = "DIR",
    };
}
