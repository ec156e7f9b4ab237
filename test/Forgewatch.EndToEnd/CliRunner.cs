using System.Diagnostics;

namespace Forgewatch.EndToEnd;

/// <summary>Runs the real <c>forgewatch</c> program in its own process, output redirected as in a script.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forgewatch.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("forgewatch did not finish in 2 minutes: " + string.Join(' ', args));
        }

        return new CliResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
