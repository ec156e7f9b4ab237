namespace Forgewatch.Server.Hosting;

/// <summary>Copies a request body up to a size limit: a sender cannot make the server take more than it
/// allows, however long the body.</summary>
internal static class BoundedBody
{
    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>; returns the bytes copied, or -1 (having
    /// stopped) when the body is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<long> CopyAsync(Stream from, Stream to, long maxBytes, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                return -1;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return total;
    }
}
