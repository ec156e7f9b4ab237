using System.Security.Cryptography;

namespace Forgewatch.Server.Tenants;

/// <summary>The secret a tenant's webhook messages are signed with (HMAC-SHA256): <c>fws_</c> and 256 random
/// bits in base64url. Kept in the store, since signing needs it; shown once when the tenant is added.</summary>
public static class WebhookSecret
{
    public const string Prefix = "fws_";

    public static string New() => Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
