using System.Collections.Frozen;
using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>Which normalized family a UAL operation belongs to.</summary>
internal enum UalCategory
{
    MailAccess,
    SignIn,
    MailboxAdmin,
    IdentityAdmin,
    Other,
}

/// <summary>Sorts UAL operations into event families and log streams (see ../shared/docs/domain.md, "The records").</summary>
internal static class UalOperations
{
    private const int ExchangeAdmin = 1;
    private const int AzureActiveDirectory = 8;
    private const int AzureActiveDirectoryStsLogon = 15;

    /// <summary>Mailbox operations that change who can read or where mail goes, whatever their record type.</summary>
    private static readonly FrozenSet<string> MailboxChanges = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "New-InboxRule",
        "Set-InboxRule",
        "Enable-InboxRule",
        "UpdateInboxRules",
        "Set-Mailbox",
        "Add-MailboxPermission",
        "Add-MailboxFolderPermission",
        "Set-MailboxFolderPermission",
        "AddFolderPermissions",
        "ModifyFolderPermissions",
        "Add-RecipientPermission",
        "New-ManagementRoleAssignment",
        "New-TransportRule",
        "Set-TransportRule",
        "Set-CASMailbox",
        "New-ApplicationAccessPolicy");

    public static UalCategory Categorize(string operation, int? recordType, string? workload)
    {
        if (operation.Equals("MailItemsAccessed", StringComparison.OrdinalIgnoreCase))
        {
            return UalCategory.MailAccess;
        }

        if (operation.Equals("UserLoggedIn", StringComparison.OrdinalIgnoreCase)
            || operation.Equals("UserLoginFailed", StringComparison.OrdinalIgnoreCase))
        {
            return UalCategory.SignIn;
        }

        if (recordType == ExchangeAdmin || MailboxChanges.Contains(operation))
        {
            return UalCategory.MailboxAdmin;
        }

        if (recordType == AzureActiveDirectory
            || (recordType is null && "AzureActiveDirectory".Equals(workload, StringComparison.OrdinalIgnoreCase)))
        {
            return UalCategory.IdentityAdmin;
        }

        return UalCategory.Other;
    }

    public static LogKind LogOf(UalCategory category, int? recordType, string? workload) => category switch
    {
        UalCategory.MailAccess => LogKind.UalMailAccess,
        UalCategory.SignIn => LogKind.UalSignIn,
        _ when recordType == ExchangeAdmin => LogKind.UalExchangeAdmin,
        _ when recordType == AzureActiveDirectory || category == UalCategory.IdentityAdmin => LogKind.UalAzureAd,
        _ when recordType == AzureActiveDirectoryStsLogon => LogKind.UalSignIn,
        _ when "Exchange".Equals(workload, StringComparison.OrdinalIgnoreCase) => LogKind.UalExchangeItem,
        _ => LogKind.UalOther,
    };
}
