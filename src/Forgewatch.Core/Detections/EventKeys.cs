using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>The entity names detections key their state by.</summary>
internal static class EventKeys
{
    /// <summary>The mailbox read: its owner's UPN, else its GUID, else the acting user.</summary>
    public static string? Mailbox(MailAccessEvent e) => e.MailboxOwner ?? e.MailboxGuid ?? e.UserId;

    /// <summary>True for a successful sign-in log entry (Entra, or a UAL <c>UserLoggedIn</c>).</summary>
    public static bool IsSuccessfulSignIn(AuditEvent e) => e is SignInEvent { Succeeded: true };

    /// <summary>Short, readable form of an id for sentences (ids are shown whole in the files).</summary>
    public static string Short(string? value, int max = 40) =>
        value is null ? "(none)" : value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…");
}
