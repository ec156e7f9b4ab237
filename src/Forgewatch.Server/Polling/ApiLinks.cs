namespace Forgewatch.Server.Polling;

/// <summary>
/// Links that an API hands back (<c>NextPageUri</c>, <c>contentUri</c>, <c>@odata.nextLink</c>) are followed with
/// the bearer token, so only when they point to the API's own configured address: an answer cannot send the
/// token anywhere else.
/// </summary>
internal static class ApiLinks
{
    public static Uri Checked(string link, string apiUrl, string what)
    {
        var api = new Uri(apiUrl);
        return Uri.TryCreate(link, UriKind.Absolute, out Uri? uri)
            && uri.Scheme == api.Scheme
            && string.Equals(uri.Host, api.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == api.Port
            ? uri
            : throw new PollFailedException($"{what} \"{Shown(link)}\" is not on {api.GetLeftPart(UriPartial.Authority)}; not followed.");
    }

    /// <summary><paramref name="uri"/> with <paramref name="name"/>=<paramref name="value"/> in its query, unless it
    /// has that parameter already.</summary>
    public static Uri With(Uri uri, string name, string value)
    {
        if (uri.Query.Contains(name + "=", StringComparison.OrdinalIgnoreCase))
        {
            return uri;
        }

        var builder = new UriBuilder(uri);
        string parameter = $"{name}={Uri.EscapeDataString(value)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) ? parameter : builder.Query.TrimStart('?') + "&" + parameter;
        return builder.Uri;
    }

    public static string Shown(string text) => Reports.LogText.Escaped(text.Length <= 200 ? text : text[..200] + "...");
}
