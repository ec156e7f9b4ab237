namespace Forgewatch.Core.Events;

/// <summary>The normalized event families.</summary>
public enum EventKind
{
    MailAccess,
    SignIn,
    MailboxAdmin,
    IdentityAdmin,
    Generic,
}
