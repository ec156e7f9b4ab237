namespace Forgewatch.Tokens.Keys;

/// <summary>The keys of one JWK Set document, and the ones refused from it, with where it came from.</summary>
public sealed class KeySet : IDisposable
{
    public KeySet(string source, IReadOnlyList<SigningKey> keys, IReadOnlyList<RefusedKey> refused)
    {
        Source = source;
        Keys = keys;
        Refused = refused;
    }

    /// <summary>The file path or URL it was read from.</summary>
    public string Source { get; }

    public IReadOnlyList<SigningKey> Keys { get; }

    public IReadOnlyList<RefusedKey> Refused { get; }

    /// <summary>Reads a JWK Set or single JWK file.</summary>
    public static KeySet FromFile(string path) => JsonWebKeyReader.ReadSet(File.ReadAllBytes(path), path);

    public void Dispose()
    {
        foreach (SigningKey key in Keys)
        {
            key.Dispose();
        }
    }
}
