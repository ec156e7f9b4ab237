using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Forgewatch.Cli.Token;

/// <summary>
/// <c>forgewatch token verify [--policy FILE] [--jwks FILE|URL ...] [--audience AUD] [--at TIME] [--json] TOKEN|-</c> and
/// <c>forgewatch token scan [--policy FILE] [--jwks FILE|URL ...] [--out DIR] [--threads N] FILE...</c>: verify
/// JWS tokens against keys bound to the issuers and tenants they may sign for (docs/token-cli.md).
/// </summary>
internal static class TokenCommand
{
    public static Command Create() => new("token", "Verify JWT/JWS tokens against key-scope policy: valid, invalid, or forged (a good signature from a key with no right to sign what the token claims).")
    {
        CreateVerify(),
        CreateScan(),
    };

    private static Command CreateVerify()
    {
        var token = new Argument<string>("TOKEN")
        {
            Description = "The token (compact JWS; a leading \"Bearer \" is dropped), or - to read it from standard input (keeps it out of the process list and shell history).",
        };
        var keys = new KeyOptionSet();
        var json = new Option<bool>("--json")
        {
            Description = "Print the verdict as one JSON object: verdict, reason, message, details.",
        };
        var command = new Command("verify", "Verify one token. Exit 0 valid, 1 invalid, 3 forged, 2 usage or key-loading error.")
        {
            token,
        };
        keys.AddTo(command);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => TokenVerifyRunner.RunAsync(
            new TokenVerifyOptions
            {
                Token = parse.GetValue(token)!,
                Keys = keys.Read(parse),
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    private static Command CreateScan()
    {
        var files = new Argument<string[]>("FILE")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Text or log files (gzip or not), or folders (read recursively): every \"Bearer <token>\" and every bare eyJ...x.y JWS found is verified.",
        };
        var keys = new KeyOptionSet();
        var output = new Option<string>("--out")
        {
            Description = "Folder for verdicts.jsonl (created if needed).",
            DefaultValueFactory = _ => ".",
            HelpName = "DIR",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Tokens verified at once (default: the processor count).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "N",
        };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError("--threads must be between 1 and 256.");
            }
        });
        var command = new Command("scan", "Find and verify every token in files, in parallel: verdicts.jsonl in input order (never the token itself), and a summary. Exit 3 if any is forged, else 1 if any is invalid, else 0; 2 for usage, key-loading or read errors.")
        {
            files,
        };
        keys.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(threads);
        command.SetAction((parse, cancellationToken) => new TokenScanRunner(new TokenScanOptions
        {
            Paths = parse.GetValue(files)!,
            Keys = keys.Read(parse),
            OutDirectory = parse.GetValue(output)!,
            Threads = parse.GetValue(threads),
        }).RunAsync(cancellationToken));
        return command;
    }

    /// <summary>The options both subcommands share: where the keys and policy come from, and when to judge.</summary>
    private sealed class KeyOptionSet
    {
        private readonly Option<string?> _policy = new("--policy")
        {
            Description = "Key-scope policy file (JSON; docs/token-policy.md): settings, key sets and the scope of each key.",
            HelpName = "FILE",
        };

        private readonly Option<string[]> _jwks = new("--jwks")
        {
            Description = "JWK Set file or HTTPS URL; repeatable. Added to the policy's key sets; without --policy they are the keys. A URL named here is trusted as a source.",
            HelpName = "FILE|URL",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<string[]> _audience = new("--audience")
        {
            Description = "Accept only tokens whose \"aud\" holds this value; repeatable. Replaces the policy's \"audiences\".",
            HelpName = "AUD",
            Arity = ArgumentArity.OneOrMore,
        };

        private readonly Option<DateTimeOffset?> _at = new("--at")
        {
            Description = "Judge expiry and key validity as of this time (ISO 8601; UTC unless an offset is given), e.g. for captured tokens. Default: now.",
            HelpName = "TIME",
            CustomParser = ParseTime,
        };

        public void AddTo(Command command)
        {
            command.Options.Add(_policy);
            command.Options.Add(_jwks);
            command.Options.Add(_audience);
            command.Options.Add(_at);
        }

        public TokenKeyOptions Read(ParseResult parse) => new()
        {
            PolicyFile = parse.GetValue(_policy),
            KeySets = parse.GetValue(_jwks) ?? [],
            Audiences = parse.GetValue(_audience) ?? [],
            At = parse.GetValue(_at),
        };

        private static DateTimeOffset? ParseTime(ArgumentResult result)
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
            {
                return time;
            }

            result.AddError($"'{text}' is not a time; use ISO 8601, e.g. 2023-06-01 or 2023-06-01T08:00:00Z.");
            return null;
        }
    }
}
