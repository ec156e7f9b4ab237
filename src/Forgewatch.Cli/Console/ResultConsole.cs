using Spectre.Console;

namespace Forgewatch.Cli.Console;

/// <summary>Where a command's result tables go: standard output, 160 columns wide when it is redirected to a
/// file or pipe (which has no width of its own), so tables are not squeezed to Spectre's 80-column default.</summary>
internal static class ResultConsole
{
    public static IAnsiConsole Standard()
    {
        IAnsiConsole stdout = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            stdout.Profile.Width = 160;
        }

        return stdout;
    }
}
