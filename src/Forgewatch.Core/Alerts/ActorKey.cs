namespace Forgewatch.Core.Alerts;

/// <summary>What kind of value identifies an actor across alerts.</summary>
public enum ActorKind
{
    /// <summary>A sign-in session (<c>AADSessionId</c>, <c>SessionId</c>).</summary>
    Session,
    /// <summary>One token (<c>UniqueTokenId</c>).</summary>
    Token,
    /// <summary>A client address.</summary>
    Ip,
    /// <summary>An application that is not on the first-party allowlist.</summary>
    App,
}

/// <summary>
/// A value that identifies who acted: alerts in one tenant that share one are the same actor's doing and are
/// grouped into one incident, and the mail that carries one is that incident's exposure. Compared without
/// regard to case (logs write the same GUID in either case).
/// </summary>
public readonly record struct ActorKey(ActorKind Kind, string Value)
{
    public bool Equals(ActorKey other) => Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>FNV-1a over the value with each character mapped to upper case as ordinal case-insensitive
    /// comparison maps it (ASCII by a bit, the rest by <see cref="char.ToUpperInvariant"/>), so values that are
    /// equal ignoring case hash alike; several times cheaper than the general case-insensitive hash, on a
    /// path taken for every mail access spooled.</summary>
    public override int GetHashCode()
    {
        uint hash = 2166136261u ^ (uint)Kind;
        foreach (char c in Value)
        {
            uint upper = c < 0x80 ? (c is >= 'a' and <= 'z' ? (uint)(c & ~0x20) : c) : char.ToUpperInvariant(c);
            hash = (hash ^ upper) * 16777619u;
        }

        return (int)hash;
    }

    /// <summary>Stable name of the kind, as written in the output files.</summary>
    public string KindName => Kind switch
    {
        ActorKind.Session => "session",
        ActorKind.Token => "token",
        ActorKind.Ip => "ip",
        ActorKind.App => "app",
        _ => throw new InvalidOperationException(),
    };

    public override string ToString() => $"{KindName}:{Value}";
}
