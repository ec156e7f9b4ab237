using System.Net;
using System.Text;
using System.Text.Json;
using Forgewatch.Reports;

namespace Forgewatch.Server.Polling;

/// <summary>A final answer of a Microsoft API (after retries): its status, its body, and the Management
/// Activity API's <c>NextPageUri</c> header. <see cref="TooLarge"/>: a success whose body was over the limit
/// (Forgewatch:MaxBatchBytes), not read (<see cref="Body"/> is empty).</summary>
internal sealed record ApiResponse(HttpStatusCode Status, byte[] Body, string? NextPageUri, bool TooLarge = false)
{
    /// <summary>Most characters of an API's error text quoted in a log line.</summary>
    private const int MaxErrorText = 400;

    public bool IsSuccess => (int)Status is >= 200 and <= 299;

    /// <summary>The body of a success, or <see cref="PollFailedException"/> naming <paramref name="what"/>.</summary>
    public byte[] SuccessBody(string what) =>
        TooLarge ? throw new PollFailedException($"{what}: the answer is larger than Forgewatch:MaxBatchBytes.")
        : IsSuccess ? Body
        : throw new PollFailedException($"{what}: {Describe()}");

    /// <summary>The error code of an error body: <c>error.code</c> (Management Activity API, Graph) or
    /// <c>error</c> (the token endpoint); null when there is none.</summary>
    public string? ErrorCode() => Error().Code;

    /// <summary>The status with the error's code and message, escaped and cut short: the body is the server's,
    /// and goes to a log.</summary>
    public string Describe()
    {
        (string? code, string? message) = Error();
        string text = $"{(int)Status} {Status}" + (code is null ? "" : $" {code}") + (message is null ? "" : $": {message}");
        return LogText.Escaped(text.Length <= MaxErrorText ? text : text[..MaxErrorText] + "...");
    }

    private (string? Code, string? Message) Error()
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out JsonElement error))
            {
                return (null, Shown(Body));
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return (error.GetString(), document.RootElement.TryGetProperty("error_description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
            }

            return error.ValueKind == JsonValueKind.Object
                ? (Text(error, "code"), Text(error, "message"))
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, Shown(Body));
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Shown(byte[] body) => body.Length == 0 ? null : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxErrorText));
}
