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

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Value));

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
