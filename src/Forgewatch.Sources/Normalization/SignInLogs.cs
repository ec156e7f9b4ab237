using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>Tells which Entra sign-in log a sign-in came from.</summary>
internal static class SignInLogs
{
    /// <summary>
    /// By diagnostic category first (exact), then Graph's <c>signInEventTypes</c>, then <c>isInteractive</c>.
    /// Graph v1.0 <c>/auditLogs/signIns</c> lists interactive sign-ins only, so that is the default.
    /// </summary>
    public static LogKind KindOf(string? category, IReadOnlyList<string> eventTypes, bool? isInteractive)
    {
        switch (category?.ToUpperInvariant())
        {
            case "SIGNINLOGS":
                return LogKind.EntraInteractiveSignIn;
            case "NONINTERACTIVEUSERSIGNINLOGS":
                return LogKind.EntraNonInteractiveSignIn;
            case "SERVICEPRINCIPALSIGNINLOGS":
                return LogKind.EntraServicePrincipalSignIn;
            case "MANAGEDIDENTITYSIGNINLOGS":
                return LogKind.EntraManagedIdentitySignIn;
            case "ADFSSIGNINLOGS":
                return LogKind.EntraAdfsSignIn;
        }

        foreach (string type in eventTypes)
        {
            switch (type.ToUpperInvariant())
            {
                case "INTERACTIVEUSER":
                    return LogKind.EntraInteractiveSignIn;
                case "NONINTERACTIVEUSER":
                    return LogKind.EntraNonInteractiveSignIn;
                case "SERVICEPRINCIPAL":
                    return LogKind.EntraServicePrincipalSignIn;
                case "MANAGEDIDENTITY":
                    return LogKind.EntraManagedIdentitySignIn;
            }
        }

        return isInteractive == false ? LogKind.EntraNonInteractiveSignIn : LogKind.EntraInteractiveSignIn;
    }
}
