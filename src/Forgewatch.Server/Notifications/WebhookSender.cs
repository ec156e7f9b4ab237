using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Forgewatch.Server.Notifications;

/// <summary>
/// Posts a notification's JSON to the tenant's webhook. The receiver can check it came from this server:
/// <c>X-Forgewatch-Signature: sha256=HEX</c> is HMAC-SHA256 of the body's bytes with the tenant's webhook
/// secret, and <c>X-Forgewatch-Delivery</c> is the notification's id, the same on every retry, for
/// receivers to drop a repeat (a crash between sending and recording the delivery sends it again). For a
/// Slack or Teams incoming webhook the body is a chat message instead (<see cref="ChatMessage"/>).
/// </summary>
public sealed class WebhookSender(HttpClient http)
{
    public const string SignatureHeader = "X-Forgewatch-Signature";

    public const string DeliveryHeader = "X-Forgewatch-Delivery";

    /// <summary>Null when the receiver answered 2xx, else why not. <paramref name="format"/> is the body's
    /// shape (<see cref="Tenants.WebhookFormats"/>); the signature covers the body as sent.</summary>
    public async Task<string?> SendAsync(Notification notification, string secret, string format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        byte[] body = Encoding.UTF8.GetBytes(format == Tenants.WebhookFormats.Json ? notification.Payload : ChatMessage.Write(notification.Payload));
        using var request = new HttpRequestMessage(HttpMethod.Post, notification.Target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, Signature(secret, body));
        request.Headers.Add(DeliveryHeader, notification.Id.ToString(CultureInfo.InvariantCulture));
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return $"the webhook could not be reached: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the webhook did not answer in time";
        }
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Signature(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
