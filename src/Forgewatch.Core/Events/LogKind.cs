namespace Forgewatch.Core.Events;

/// <summary>
/// The log streams Forgewatch tracks coverage for. A detection that joins two streams (mail access
/// and sign-ins, say) can only be evaluated where both were seen. Names are stable (<see cref="LogKindNames"/>).
/// </summary>
public enum LogKind
{
    /// <summary>UAL <c>MailItemsAccessed</c> (mailbox audit of reads).</summary>
    UalMailAccess,
    /// <summary>UAL Exchange admin cmdlets (RecordType 1).</summary>
    UalExchangeAdmin,
    /// <summary>UAL Exchange mailbox item operations other than reads (RecordType 2, 3...).</summary>
    UalExchangeItem,
    /// <summary>UAL Entra directory audit (RecordType 8).</summary>
    UalAzureAd,
    /// <summary>UAL sign-in records <c>UserLoggedIn</c>/<c>UserLoginFailed</c> (RecordType 15).</summary>
    UalSignIn,
    /// <summary>Any other UAL record.</summary>
    UalOther,
    EntraInteractiveSignIn,
    EntraNonInteractiveSignIn,
    EntraServicePrincipalSignIn,
    EntraManagedIdentitySignIn,
    EntraAdfsSignIn,
}

/// <summary>Stable names of <see cref="LogKind"/> values, used in <c>coverage.json</c>.</summary>
public static class LogKindNames
{
    public static string Name(this LogKind kind) => kind switch
    {
        LogKind.UalMailAccess => "ual.mail_access",
        LogKind.UalExchangeAdmin => "ual.exchange_admin",
        LogKind.UalExchangeItem => "ual.exchange_item",
        LogKind.UalAzureAd => "ual.azure_ad",
        LogKind.UalSignIn => "ual.sign_in",
        LogKind.UalOther => "ual.other",
        LogKind.EntraInteractiveSignIn => "entra.sign_in.interactive",
        LogKind.EntraNonInteractiveSignIn => "entra.sign_in.non_interactive",
        LogKind.EntraServicePrincipalSignIn => "entra.sign_in.service_principal",
        LogKind.EntraManagedIdentitySignIn => "entra.sign_in.managed_identity",
        LogKind.EntraAdfsSignIn => "entra.sign_in.adfs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>True for the Entra sign-in log streams (not the UAL's own sign-in records).</summary>
    public static bool IsEntraSignIn(this LogKind kind) => kind >= LogKind.EntraInteractiveSignIn;
}
