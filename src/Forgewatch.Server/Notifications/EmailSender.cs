using System.Net.Security;
using System.Text.Json;
using Forgewatch.Reports;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Forgewatch.Server.Notifications;

/// <summary>
/// Sends a notification to one admin through SMTP with MailKit. Log-derived text in the body (the summary,
/// mailbox names) has its control and reordering characters written as visible escapes
/// (<see cref="LogText.Escaped"/>). STARTTLS, TLS or (for a local relay) plain,
/// with authentication when a user is set. The message is plain text written from the notification's JSON
/// (which is attached as <c>incident.json</c> for tools), with the incident's id and the delivery id in
/// headers, <c>X-Forgewatch-Incident</c> and <c>X-Forgewatch-Delivery</c>, so a repeat after a crash can be
/// recognised.
/// </summary>
public sealed class EmailSender(SmtpOptions options)
{
    private readonly byte[]? _pinnedHash = options.CertificateFile is { } file ? SmtpOptions.LoadCertificateHash(file) : null;

    /// <summary>Null when the server accepted the message, else why not.</summary>
    public async Task<string?> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using MimeMessage message = Compose(notification);
        using var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        if (_pinnedHash is { } trustedHash)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHash().AsSpan().SequenceEqual(trustedHash));
        }

        try
        {
            SecureSocketOptions security = options.Security switch
            {
                "Tls" => SecureSocketOptions.SslOnConnect,
                "None" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(options.Host!, options.Port, security, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(options.User))
            {
                await client.AuthenticateAsync(options.User, options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or SslHandshakeException or ServiceNotConnectedException or TimeoutException or OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return $"the mail server {options.Host}:{options.Port} did not take it: {e.Message}";
        }
    }

    private MimeMessage Compose(Notification notification)
    {
        using JsonDocument payload = JsonDocument.Parse(notification.Payload);
        JsonElement root = payload.RootElement;
        JsonElement incident = root.GetProperty("incident");
        string severity = root.GetProperty("severity").GetString() ?? "?";
        bool raised = root.GetProperty("type").GetString() == NotificationPayload.RaisedType;
        string id = notification.Incident;

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(notification.Target));
        message.Subject = raised
            ? $"[Forgewatch] Incident {id} in {notification.Tenant} is now {severity}"
            : $"[Forgewatch] New {severity} incident in {notification.Tenant}: {id}";
        message.Headers.Add("X-Forgewatch-Incident", id);
        message.Headers.Add("X-Forgewatch-Delivery", notification.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var text = new System.Text.StringBuilder();
        text.AppendLine(raised ? $"The severity of incident {id} rose to {severity}." : $"Forgewatch found a {severity} incident in tenant {notification.Tenant}.");
        text.AppendLine();
        if (incident.TryGetProperty("summary", out JsonElement summary) && summary.GetString() is { Length: > 0 } written)
        {
            text.AppendLine(LogText.Escaped(written));
            text.AppendLine();
        }

        text.AppendLine($"Incident: {id}");
        text.AppendLine($"First seen: {Member(incident, "first_seen")}   Last seen: {Member(incident, "last_seen")}");
        text.AppendLine($"Mailboxes: {List(incident, "mailboxes")}");
        text.AppendLine($"Detections: {List(incident, "detections")}");
        text.AppendLine();
        text.AppendLine("The whole incident, with its timeline and what was read, is attached as incident.json and served by the incidents API.");

        var builder = new BodyBuilder { TextBody = text.ToString() };
        builder.Attachments.Add("incident.json", System.Text.Encoding.UTF8.GetBytes(incident.GetRawText()), new ContentType("application", "json"));
        message.Body = builder.ToMessageBody();
        return message;
    }

    private static string Member(JsonElement incident, string name) =>
        incident.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";

    private static string List(JsonElement incident, string name) =>
        incident.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? string.Join(", ", value.EnumerateArray().Select(v => LogText.Escaped(v.GetString())).Take(20))
            : "?";
}
