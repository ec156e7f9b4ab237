using System.Text.Json;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;

namespace Forgewatch.Cli.Token;

/// <summary>What <c>forgewatch token verify</c> was asked to do.</summary>
internal sealed record TokenVerifyOptions
{
    /// <summary>The token, or "-" for standard input.</summary>
    public required string Token { get; init; }

    public required TokenKeyOptions Keys { get; init; }

    public bool Json { get; init; }
}

/// <summary>Runs one <c>forgewatch token verify</c>: exit 0 valid, 1 invalid, 3 forged, 2 when it could not
/// judge (no token, no keys, keys that cannot be loaded).</summary>
internal static class TokenVerifyRunner
{
    /// <summary>The most read from standard input: far above any token limit, so an oversize token is still
    /// judged (too_large) rather than read without end.</summary>
    private const int MaxStdinChars = 1 << 20;

    public static async Task<int> RunAsync(TokenVerifyOptions options, CancellationToken cancellationToken)
    {
        string token = options.Token == "-" ? ReadStandardInput() : options.Token;
        token = WithoutBearer(token.Trim());
        if (token.Length == 0)
        {
            System.Console.Error.WriteLine(options.Token == "-" ? "forgewatch: standard input holds no token." : "forgewatch: the token is empty.");
            return ExitCodes.UsageOrIoError;
        }

        KeyScopePolicy? policy = await TokenKeys.LoadAsync(options.Keys, System.Console.Error, cancellationToken).ConfigureAwait(false);
        if (policy is null)
        {
            return ExitCodes.UsageOrIoError;
        }

        var verifier = new TokenVerifier(policy);
        TokenVerdict verdict = options.Keys.At is { } at ? verifier.Verify(token, at) : verifier.Verify(token);
        if (options.Json)
        {
            using Stream stdout = System.Console.OpenStandardOutput();
            using (var w = new Utf8JsonWriter(stdout, VerdictOutput.JsonOptions))
            {
                w.WriteStartObject();
                VerdictOutput.WriteMembers(w, verdict);
                w.WriteEndObject();
            }

            stdout.WriteByte((byte)'\n');
        }
        else
        {
            VerdictOutput.WriteText(System.Console.Out, verdict);
        }

        return VerdictOutput.ExitCode(verdict.Kind);
    }

    private static string ReadStandardInput()
    {
        char[] buffer = new char[MaxStdinChars + 1];
        int filled = 0;
        int read;
        while (filled < buffer.Length && (read = System.Console.In.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += read;
        }

        return new string(buffer, 0, filled);
    }

    /// <summary>The token of an Authorization header value pasted whole.</summary>
    private static string WithoutBearer(string token) =>
        token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token["Bearer ".Length..].Trim() : token;
}
