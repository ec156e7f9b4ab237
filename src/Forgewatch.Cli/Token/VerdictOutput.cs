using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Forgewatch.Reports.Terminal;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Cli.Token;

/// <summary>
/// A verdict as JSON members (<c>verdict</c>, <c>reason</c>, <c>message</c>, <c>details</c>) and as lines for
/// people. JSON escapes control characters itself; text for the terminal goes through
/// <see cref="TerminalText.Safe"/>, since a valid token's details are its claims as written.
/// </summary>
internal static class VerdictOutput
{
    /// <summary>Options for JSON output: control characters escaped, quotes and non-ASCII readable (the output
    /// is JSON, never HTML).</summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Word(VerdictKind kind) => kind switch
    {
        VerdictKind.Valid => "valid",
        VerdictKind.Invalid => "invalid",
        VerdictKind.Forged => "forged",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static int ExitCode(VerdictKind kind) => kind switch
    {
        VerdictKind.Valid => ExitCodes.Ok,
        VerdictKind.Forged => ExitCodes.TokenForged,
        _ => ExitCodes.TokenInvalid,
    };

    /// <summary>Writes the verdict's members into the object <paramref name="w"/> is in.</summary>
    public static void WriteMembers(Utf8JsonWriter w, TokenVerdict verdict)
    {
        w.WriteString("verdict", Word(verdict.Kind));
        w.WriteString("reason", verdict.Reason);
        w.WriteString("message", verdict.Message);
        if (verdict.Details is { } d)
        {
            w.WriteStartObject("details");
            WriteIfPresent(w, "algorithm", d.Algorithm);
            WriteIfPresent(w, "keyId", d.KeyId);
            WriteIfPresent(w, "keyOwner", d.KeyOwner);
            WriteIfPresent(w, "keyScope", d.KeyScope);
            if (d.AllowedIssuers is { } issuers)
            {
                w.WriteStartArray("allowedIssuers");
                foreach (string issuer in issuers)
                {
                    w.WriteStringValue(issuer);
                }

                w.WriteEndArray();
            }

            WriteIfPresent(w, "issuer", d.Issuer);
            WriteIfPresent(w, "tenant", d.Tenant);
            WriteIfPresent(w, "audience", d.Audience);
            WriteIfPresent(w, "subject", d.Subject);
            WriteIfPresent(w, "application", d.Application);
            WriteIfPresent(w, "issuedAt", Time(d.IssuedAt));
            WriteIfPresent(w, "expiresAt", Time(d.ExpiresAt));
            w.WriteEndObject();
        }
    }

    /// <summary>The verdict for people: the verdict word and reason code, the message, then the details.</summary>
    public static void WriteText(TextWriter output, TokenVerdict verdict)
    {
        output.WriteLine($"{Word(verdict.Kind).ToUpperInvariant()} ({verdict.Reason})");
        output.WriteLine(TerminalText.Safe(verdict.Message, 2000));
        if (verdict.Details is not { } d)
        {
            return;
        }

        Line(output, "key", d.KeyId is null ? null : d.Algorithm is null ? d.KeyId : $"{d.KeyId} ({d.Algorithm})");
        Line(output, "owner", d.KeyOwner);
        Line(output, "scope from", d.KeyScope);
        if (d.AllowedIssuers is { Count: > 0 } allowed)
        {
            Line(output, "may sign for", string.Join(", ", allowed));
        }

        Line(output, "issuer", d.Issuer);
        Line(output, "tenant", d.Tenant);
        Line(output, "audience", d.Audience);
        Line(output, "subject", d.Subject);
        Line(output, "application", d.Application);
        Line(output, "issued", Time(d.IssuedAt));
        Line(output, "expires", Time(d.ExpiresAt));
    }

    public static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Line(TextWriter output, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"  {name + ":",-14}{TerminalText.Safe(value, 300)}");
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
