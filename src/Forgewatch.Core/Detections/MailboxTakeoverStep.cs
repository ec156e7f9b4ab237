using System.Collections.Frozen;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1007: a change that lets someone keep reading or receiving a mailbox's mail: forwarding, redirect or
/// delete inbox rules, mailbox forwarding, FullAccess, folder and SendAs grants, ApplicationImpersonation,
/// and consent or app-role grants with mail scopes (docs/detections/FW1007.md).
/// </summary>
public sealed class MailboxTakeoverStep : IDetection
{
    /// <summary>Scopes and app roles that read mail.</summary>
    public static readonly FrozenSet<string> MailScopes = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "full_access_as_app",
        "Mail.Read",
        "Mail.ReadWrite",
        "Mail.Read.All",
        "Mail.ReadWrite.All",
        "EWS.AccessAsUser.All");

    /// <summary>Folder permission roles and rights that let the grantee read items.</summary>
    private static readonly string[] ReadingRights =
        ["ReadItems", "Reviewer", "Author", "NonEditingAuthor", "Editor", "PublishingAuthor", "PublishingEditor", "Owner"];

    private const string HostedOrganizations = "/Microsoft Exchange Hosted Organizations/";

    private static readonly string[] HidingFolders = ["Deleted Items", "RSS", "Conversation History", "Archive", "Junk"];

    private const string MailPermissionGrant = "mail_permission_grant";

    public string Id => "FW1007";

    public string Title => "Mailbox takeover step";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is not AdminOperationEvent admin)
        {
            return;
        }

        context.Evaluation.Evaluated(Id, tenant);
        if (Failed(admin) || Classify(admin) is not { } step)
        {
            return;
        }

        string target = step.Mailbox ?? admin.ObjectId ?? string.Empty;
        context.Raise(this, new Finding
        {
            Evidence = e,
            Tenant = tenant,
            Group = string.Concat(step.Name, "|", target),
            Mailbox = step.Mailbox,
            Severity = step.Severity,
            Confidence = step.Confidence,
            Reason = $"{admin.UserId ?? "(no user)"} ran {admin.Operation}: {step.Sentence}.",
            // A grant is evidence against the application it empowers. Its maker may be the victim (a
            // phished user consenting from the office): their address is shared by everyone there and
            // would make every read from it part of the incident. Sessions and tokens stay keys: one
            // made to consent is the phishing one, which the application then goes on using.
            Actor = step.Name == MailPermissionGrant ? ActorScope.Session | ActorScope.Token : ActorScope.Client,
            ActorApp = step.App,
            Details = new Dictionary<string, string> { ["step"] = step.Name, ["target"] = target },
        });
    }

    private static bool Failed(AdminOperationEvent e) =>
        e.ResultStatus is { } status
        && (status.Equals("False", StringComparison.OrdinalIgnoreCase)
            || status.Equals("Failed", StringComparison.OrdinalIgnoreCase)
            || status.Equals("Failure", StringComparison.OrdinalIgnoreCase));

    private static bool IsSystem(string? user) =>
        user is null || user.StartsWith("S-1-5-18", StringComparison.Ordinal) || user.StartsWith("NT AUTHORITY", StringComparison.OrdinalIgnoreCase);

    private static Step? Classify(AdminOperationEvent e)
    {
        string operation = e.Operation;
        string? identity = AdminParameters.Get(e, "Identity") ?? e.MailboxOwner ?? e.ObjectId;
        if (identity is not null && identity.Contains(HostedOrganizations, StringComparison.OrdinalIgnoreCase))
        {
            // Exchange writes object ids as "server/Microsoft Exchange Hosted Organizations/tenant/name".
            identity = identity[(identity.LastIndexOf('/') + 1)..];
        }

        switch (operation.ToUpperInvariant())
        {
            case "NEW-INBOXRULE":
            case "SET-INBOXRULE":
                return InboxRule(e, AdminParameters.Get(e, "Mailbox") ?? e.MailboxOwner ?? RuleMailbox(identity) ?? e.UserId);
            case "UPDATEINBOXRULES":
                return ClientInboxRule(e);
            case "SET-MAILBOX":
                foreach (string name in (ReadOnlySpan<string>)["ForwardingSmtpAddress", "ForwardingAddress"])
                {
                    if (AdminParameters.IsSet(e, name))
                    {
                        return new Step("mailbox_forwarding", identity, Severity.High, Confidence.High,
                            $"mail of {identity} is forwarded to {AdminParameters.Get(e, name)}");
                    }
                }

                return null;
            case "ADD-MAILBOXPERMISSION":
                return Contains(AdminParameters.Get(e, "AccessRights"), "FullAccess") && !IsSystem(e.UserId)
                    ? new Step("full_access", identity, Severity.Medium, Confidence.Medium,
                        $"{AdminParameters.Get(e, "User") ?? "someone"} was given FullAccess to {identity}")
                    : null;
            case "ADD-RECIPIENTPERMISSION":
                return Contains(AdminParameters.Get(e, "AccessRights"), "SendAs")
                    ? new Step("send_as", identity, Severity.Medium, Confidence.Medium,
                        $"{AdminParameters.Get(e, "Trustee") ?? "someone"} may now send as {identity}")
                    : null;
            case "ADD-MAILBOXFOLDERPERMISSION":
            case "SET-MAILBOXFOLDERPERMISSION":
                return FolderGrant(e, identity);
            case "ADDFOLDERPERMISSIONS":
            case "MODIFYFOLDERPERMISSIONS":
                return IsSystem(e.UserId)
                    ? null
                    : new Step("folder_permission", e.MailboxOwner ?? identity, Severity.Low, Confidence.Low,
                        $"folder permissions of {e.MailboxOwner ?? identity} were changed from a mail client");
            case "NEW-MANAGEMENTROLEASSIGNMENT":
                return Contains(AdminParameters.Get(e, "Role"), "ApplicationImpersonation")
                    ? new Step("application_impersonation", null, Severity.High, Confidence.High,
                        $"ApplicationImpersonation was assigned to {AdminParameters.Get(e, "User") ?? AdminParameters.Get(e, "App") ?? AdminParameters.Get(e, "SecurityGroup") ?? "someone"}, which can then read every mailbox in scope")
                    : null;
            default:
                return e.Area == AdminArea.Identity ? MailGrant(e) : null;
        }
    }

    /// <summary>The mailbox part of a rule identity written "mailbox\rule" (or a bare mailbox), when it is an address. Exchange
    /// often writes a display name there, which is no mailbox key: the rule is then the acting user's own.</summary>
    private static string? RuleMailbox(string? identity) =>
        identity?.Split('\\', 2)[0] is { } mailbox && mailbox.Contains('@', StringComparison.Ordinal) ? mailbox : null;

    private static Step? InboxRule(AdminOperationEvent e, string? mailbox)
    {
        foreach (string name in (ReadOnlySpan<string>)["ForwardTo", "ForwardAsAttachmentTo", "RedirectTo"])
        {
            if (AdminParameters.IsSet(e, name))
            {
                return new Step("forwarding_rule", mailbox, Severity.High, Confidence.High,
                    $"an inbox rule ({AdminParameters.Get(e, "Name") ?? "unnamed"}) on {mailbox} sends mail to {AdminParameters.Get(e, name)} ({name})");
            }
        }

        string? moveTo = AdminParameters.Get(e, "MoveToFolder");
        if (AdminParameters.IsSet(e, "DeleteMessage") || AdminParameters.IsSet(e, "SoftDeleteMessage")
            || (moveTo is not null && HidingFolders.Any(f => moveTo.Contains(f, StringComparison.OrdinalIgnoreCase))))
        {
            return new Step("delete_rule", mailbox, Severity.Medium, Confidence.Medium,
                $"an inbox rule ({AdminParameters.Get(e, "Name") ?? "unnamed"}) on {mailbox} deletes or hides mail");
        }

        return null;
    }

    private static Step ClientInboxRule(AdminOperationEvent e)
    {
        string mailbox = e.MailboxOwner ?? e.ObjectId ?? e.UserId ?? "(unknown mailbox)";
        string all = string.Join(' ', AdminParameters.AllText(e));
        if (all.Contains("Forward", StringComparison.OrdinalIgnoreCase) || all.Contains("Redirect", StringComparison.OrdinalIgnoreCase))
        {
            return new Step("forwarding_rule", mailbox, Severity.High, Confidence.Medium, $"a mail client set an inbox rule on {mailbox} that forwards or redirects mail");
        }

        if (all.Contains("Delete", StringComparison.OrdinalIgnoreCase))
        {
            return new Step("delete_rule", mailbox, Severity.Medium, Confidence.Medium, $"a mail client set an inbox rule on {mailbox} that deletes mail");
        }

        return new Step("inbox_rule", mailbox, Severity.Low, Confidence.Low, $"a mail client changed the inbox rules of {mailbox}");
    }

    private static Step? FolderGrant(AdminOperationEvent e, string? identity)
    {
        string? rights = AdminParameters.Get(e, "AccessRights");
        if (!ReadingRights.Any(right => Contains(rights, right))
            || (identity is not null && identity.Contains("Calendar", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        string? mailbox = identity is null ? null : identity.Split(':', 2)[0];
        return new Step("folder_permission", mailbox, Severity.Medium, Confidence.Medium,
            $"{AdminParameters.Get(e, "User") ?? "someone"} was given {rights} on {identity}");
    }

    private static Step? MailGrant(AdminOperationEvent e)
    {
        string operation = e.Operation;
        bool grant = operation.StartsWith("Consent to application", StringComparison.OrdinalIgnoreCase)
            || operation.StartsWith("Add app role assignment", StringComparison.OrdinalIgnoreCase)
            || operation.StartsWith("Add delegated permission grant", StringComparison.OrdinalIgnoreCase)
            || operation.StartsWith("Add OAuth2PermissionGrant", StringComparison.OrdinalIgnoreCase);
        if (!grant)
        {
            return null;
        }

        var scopes = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        string? app = null;
        foreach (string text in AdminParameters.AllText(e))
        {
            foreach (string token in text.Split([' ', ',', ';', '"', '\'', '[', ']', '=', ':', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (MailScopes.Contains(token))
                {
                    scopes.Add(token);
                }
                else if (app is null && Guid.TryParse(token, out _))
                {
                    app = token;
                }
            }
        }

        if (scopes.Count == 0)
        {
            return null;
        }

        app = AppIdOf(e) ?? app;
        return new Step(MailPermissionGrant, null, Severity.High, Confidence.High,
            $"an application{(app is null ? string.Empty : " (" + app + ")")} was granted {string.Join(", ", scopes)}")
        { App = app };
    }

    /// <summary>The granted application's id, where the record names it (<c>ServicePrincipalNames</c>, <c>AppId</c>).</summary>
    private static string? AppIdOf(AdminOperationEvent e)
    {
        foreach (ModifiedProperty property in e.ModifiedProperties)
        {
            if ((property.Name.Contains("AppId", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("ServicePrincipalNames", StringComparison.OrdinalIgnoreCase))
                && property.NewValue is { } value)
            {
                foreach (string token in value.Split(['"', ';', ',', '[', ']', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Guid.TryParse(token, out _))
                    {
                        return token;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="text"/> lists <paramref name="word"/> as one of its values
    /// (rights are logged as "FullAccess, ReadPermission" or "{FullAccess}").</summary>
    private static bool Contains(string? text, string word) =>
        text is not null && text.Split([',', ';', ' ', '{', '}', '(', ')', '"', '\'', '[', ']'], StringSplitOptions.RemoveEmptyEntries)
            .Any(value => value.Equals(word, StringComparison.OrdinalIgnoreCase));

    private sealed record Step(string Name, string? Mailbox, Severity Severity, Confidence Confidence, string Sentence)
    {
        public string? App { get; init; }
    }
}
