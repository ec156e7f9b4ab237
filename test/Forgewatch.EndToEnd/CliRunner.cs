using System.Diagnostics;

namespace Forgewatch.EndToEnd;

/// <summary>Runs the real <c>forgewatch</c> program in its own process, output redirected as in a script.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => RunWith(null, null, args);

    /// <summary>Runs it with <paramref name="stdin"/> on standard input (closed empty when null) in
    /// <paramref name="workingDirectory"/> (the test's own when null).</summary>
    public static CliResult RunWith(string? stdin, string? workingDirectory, params string[] args) => RunWith(stdin, workingDirectory, null, args);

    /// <summary>Runs it as <see cref="RunWith(string?, string?, string[])"/> does, with
    /// <paramref name="environment"/> added to its environment variables.</summary>
    public static CliResult RunWith(string? stdin, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forgewatch.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("forgewatch did not finish in 2 minutes: " + string.Join(' ', args));
        }

        return new CliResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
