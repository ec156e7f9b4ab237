using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>
/// Hashes of the actor keys a mail access carries (sessions, token, address, applications), kept beside its
/// spooled bytes so that finding what an incident's actor read decodes only the records that may match.
/// </summary>
internal readonly record struct ActorHashes(int AadSession, int Session, int Token, int Address, int App, int ClientApp)
{
    public static ActorHashes Of(MailAccessEvent e) => new(
        Of(ActorKind.Session, e.AadSessionId),
        Of(ActorKind.Session, e.SessionId),
        Of(ActorKind.Token, e.UniqueTokenId),
        Of(ActorKind.Ip, e.ClientAddress),
        Of(ActorKind.App, e.AppId),
        Of(ActorKind.App, e.ClientAppId));

    /// <summary>The hash of a key, equal for keys that are equal (<see cref="ActorKey"/> ignores case).</summary>
    public static int Of(ActorKey key) => key.GetHashCode();

    public bool AnyIn(IReadOnlySet<int> hashes) =>
        hashes.Contains(AadSession) || hashes.Contains(Session) || hashes.Contains(Token)
        || hashes.Contains(Address) || hashes.Contains(App) || hashes.Contains(ClientApp);

    private static int Of(ActorKind kind, string? value) => string.IsNullOrEmpty(value) ? 0 : new ActorKey(kind, value).GetHashCode();
}
