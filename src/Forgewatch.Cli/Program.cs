using System.CommandLine;
using Forgewatch.Cli;
using Forgewatch.Cli.Demo;
using Forgewatch.Cli.Evaluate;
using Forgewatch.Cli.Hunt;
using Forgewatch.Cli.Scan;
using Forgewatch.Cli.Serve;
using Forgewatch.Cli.Simulate;
using Forgewatch.Cli.Tenant;
using Forgewatch.Cli.Token;

var root = new RootCommand("Forgewatch: finds forged-token and mailbox-intrusion activity in Microsoft 365 audit and Entra sign-in logs.")
{
    ScanCommand.Create(),
    DemoCommand.Create(),
    SimulateCommand.Create(),
    EvaluateCommand.Create(),
    TokenCommand.Create(),
    ServeCommand.Create(),
    TenantCommand.Create(),
    HuntCommand.Create(),
};

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"forgewatch: {error.Message}");
    }

    Console.Error.WriteLine("Run 'forgewatch --help' for usage.");
    return ExitCodes.UsageOrIoError;
}

return await parse.InvokeAsync().ConfigureAwait(false);
