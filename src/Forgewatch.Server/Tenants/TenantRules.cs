using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Forgewatch.Server.Tenants;

/// <summary>What a tenant id, an admin address and a webhook URL must look like. Each check returns the
/// problem as a sentence, or null.</summary>
public static partial class TenantRules
{
    public const int MaxIdLength = 64;

    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit: fits a URL path segment
    /// unescaped, and takes Entra tenant GUIDs and domain names alike.</summary>
    public static string? CheckId(string id) =>
        IdPattern().IsMatch(id) ? null : $"Tenant id \"{Shown(id)}\" is not valid: use 1-{MaxIdLength} letters, digits, '.', '_' or '-', starting with a letter or digit.";

    public static string? CheckAdmin(string email) =>
        MailAddress.TryCreate(email, out MailAddress? address) && address.Address == email && email.Length <= 254
            ? null
            : $"Admin address \"{Shown(email)}\" is not a plain email address (name@domain).";

    public static string? CheckWebhook(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.UserInfo)
            ? null
            : $"Webhook \"{Shown(url)}\" is not an absolute http or https URL without credentials.";

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
