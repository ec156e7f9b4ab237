using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Events;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class MailboxTakeoverStepTests
{
    private const string GrantedApp = "8e8c1b3c-4f1e-4a55-9b0e-1d2c3b4a5f60";
    private const string ServicePrincipalObject = "5f2c7a9e-0b1d-4c3e-8f7a-6b5c4d3e2f10";
    private const string ResourceServicePrincipal = "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private static NamedValue P(string name, string? value) => new(name, value);

    private static Outcome RunOne(Action<Scenario> write)
    {
        var s = new Scenario();
        write(s);
        return s.Run(new MailboxTakeoverStep());
    }

    private static Alert Single(Action<Scenario> write) => Assert.Single(RunOne(write).Alerts);

    [Fact]
    public void Observe_NewInboxRuleForwardingOutside_RaisesHighHigh()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "New-InboxRule",
            parameters: [P("Mailbox", Bob), P("Name", "x"), P("ForwardTo", "y@evil.test"), P("StopProcessingRules", "True")],
            session: "sess-admin",
            id: "rule-1"));

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1007", alert.Detection);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal(["rule-1"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal($"forwarding_rule|{Bob}", alert.Group);
        Assert.Equal("forwarding_rule", alert.Details["step"]);
        Assert.Equal(Eve, alert.User);
        Assert.Contains("y@evil.test", alert.Reason, StringComparison.Ordinal);
        Assert.Equal(
            new HashSet<ActorKey> { new(ActorKind.Ip, AttackerIp), new(ActorKind.Session, "sess-admin") },
            alert.ActorKeys.ToHashSet());
        Assert.Equal(1, outcome.Evaluated("FW1007"));
    }

    [Fact]
    public void Observe_InboxRuleWithFlattenedParametersString_RaisesForwardingRule()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "New-InboxRule",
            parameters: [P("Parameters", "-Name x -ForwardTo y@evil.test")],
            objectId: Bob,
            id: "flat-rule"));

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("forwarding_rule", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Contains("(x)", alert.Reason, StringComparison.Ordinal);
        Assert.Contains("y@evil.test", alert.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-Name x -ForwardTo y@evil.test", "ForwardTo")]
    [InlineData("-Name \"Fwd rule\" -RedirectTo:\"y@evil.test\" -StopProcessingRules $true", "RedirectTo")]
    [InlineData("-ForwardAsAttachmentTo y@evil.test -StopProcessingRules $true", "ForwardAsAttachmentTo")]
    public void Observe_FlattenedParameterForms_ReadAsForwarding(string flat, string parameter)
    {
        Alert alert = Single(s => s.Admin(At(20, 3), "New-InboxRule", parameters: [P("Parameters", flat)], mailboxOwner: Bob));

        Assert.Equal("forwarding_rule", alert.Details["step"]);
        Assert.Contains($"y@evil.test ({parameter})", alert.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-Name x -MarkAsRead $true")]
    [InlineData("-Name x -ForwardTo $null")]
    [InlineData("-Name x -SentTo y@evil.test")]
    public void Observe_FlattenedParametersThatNeitherForwardNorHide_NoAlert(string flat)
    {
        Outcome outcome = RunOne(s => s.Admin(At(20, 3), "New-InboxRule", parameters: [P("Parameters", flat)], mailboxOwner: Bob));

        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_SetInboxRuleIdentityMailboxBackslashRule_MailboxIsTheOwner()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Set-InboxRule", parameters: [P("Identity", $"{Bob}\\Fwd"), P("ForwardTo", "y@evil.test")]));

        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal($"forwarding_rule|{Bob}", alert.Group);
    }

    [Fact]
    public void Observe_SetInboxRuleRedirectTo_RaisesForwardingRule()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Set-InboxRule",
            parameters: [P("Identity", $"{Bob}\\rule"), P("RedirectTo", "drop@evil.test")],
            mailboxOwner: Bob));

        Assert.Equal("forwarding_rule", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
    }

    [Fact]
    public void Observe_InboxRuleDeletingMessages_RaisesMediumDeleteRule()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "New-InboxRule",
            parameters: [P("Mailbox", Bob), P("Name", "hide"), P("SubjectContainsWords", "security"), P("DeleteMessage", "True")]));

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("delete_rule", alert.Details["step"]);
        Assert.Equal($"delete_rule|{Bob}", alert.Group);
    }

    [Fact]
    public void Observe_InboxRuleMovingToRssFolder_RaisesDeleteRule()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "New-InboxRule",
            parameters: [P("Parameters", "-Mailbox bob@contoso.com -Name \"x y\" -MoveToFolder \"RSS Feeds\"")]));

        Assert.Equal("delete_rule", alert.Details["step"]);
        Assert.Contains("(x y)", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_InboxRuleMovingToOrdinaryFolderOrDeleteFalse_NoAlert()
    {
        Outcome outcome = RunOne(s =>
        {
            s.Admin(At(20, 3), "New-InboxRule", parameters: [P("Mailbox", Bob), P("MoveToFolder", "Projects")]);
            s.Admin(At(20, 4), "New-InboxRule", parameters: [P("Mailbox", Bob), P("DeleteMessage", "False"), P("ForwardTo", "$null")]);
        });

        Assert.Empty(outcome.Alerts);
        Assert.Equal(2, outcome.Evaluated("FW1007"));
    }

    [Fact]
    public void Observe_SetMailboxForwardingSmtpAddress_RaisesHighMailboxForwarding()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Set-Mailbox",
            parameters: [P("Identity", Bob), P("ForwardingSmtpAddress", "smtp:y@evil.test"), P("DeliverToMailboxAndForward", "True")],
            id: "fwd"));

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal("mailbox_forwarding", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal(["fwd"], alert.EvidenceIds);
    }

    [Theory]
    [InlineData("$null")]
    [InlineData("")]
    public void Observe_SetMailboxClearingForwarding_NoAlert(string value)
    {
        Outcome outcome = RunOne(s => s.Admin(At(20, 3), "Set-Mailbox", parameters: [P("Identity", Bob), P("ForwardingSmtpAddress", value)]));

        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_AddMailboxPermissionFullAccess_RaisesMedium()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Add-MailboxPermission",
            parameters: [P("Identity", Bob), P("User", Eve), P("AccessRights", "FullAccess"), P("InheritanceType", "All")]));

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("full_access", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
    }

    [Fact]
    public void Observe_AddMailboxPermissionBySystem_NoAlert()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Add-MailboxPermission",
            parameters: [P("Identity", Bob), P("User", "NT AUTHORITY\\SELF"), P("AccessRights", "FullAccess")],
            user: "NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)"));

        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_AddMailboxPermissionReadPermissionOnly_NoAlert()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Add-MailboxPermission", parameters: [P("Identity", Bob), P("User", Eve), P("AccessRights", "ReadPermission")]));

        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_AddRecipientPermissionSendAs_RaisesMedium()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Add-RecipientPermission",
            parameters: [P("Identity", Bob), P("Trustee", Eve), P("AccessRights", "SendAs")]));

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal("send_as", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Contains(Eve, alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_AddMailboxFolderPermissionOnInbox_RaisesMediumForOwningMailbox()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Add-MailboxFolderPermission",
            parameters: [P("Identity", $"{Bob}:\\Inbox"), P("User", Eve), P("AccessRights", "Reviewer")]));

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("folder_permission", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
    }

    [Theory]
    [InlineData("bob@contoso.com:\\Calendar", "Editor")]
    [InlineData("bob@contoso.com:\\Inbox", "None")]
    [InlineData("bob@contoso.com:\\Inbox", "AvailabilityOnly")]
    public void Observe_FolderPermissionOnCalendarOrWithoutReadRights_NoAlert(string identity, string rights)
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Add-MailboxFolderPermission", parameters: [P("Identity", identity), P("User", Eve), P("AccessRights", rights)]));

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1007"));
    }

    [Fact]
    public void Observe_NewManagementRoleAssignmentImpersonation_RaisesHighWithoutMailbox()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "New-ManagementRoleAssignment",
            parameters: [P("Role", "ApplicationImpersonation"), P("User", "svc-sync@contoso.com")],
            objectId: "ApplicationImpersonation-svc-sync"));

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal("application_impersonation", alert.Details["step"]);
        Assert.Null(alert.Mailbox);
        Assert.Equal("application_impersonation|ApplicationImpersonation-svc-sync", alert.Group);
        Assert.Contains("svc-sync@contoso.com", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_NewManagementRoleAssignmentOtherRole_NoAlert()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "New-ManagementRoleAssignment", parameters: [P("Role", "Mail Recipients"), P("User", Eve)]));

        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_ConsentWithMailRead_RaisesHighWithGrantedAppAsActor()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Consent to application.",
            area: AdminArea.Identity,
            modified:
            [
                new("ConsentContext.IsAdminConsent", null, "True"),
                new("ConsentAction.Permissions", null,
                    $"[] => [[Id: abc, ClientId: {ServicePrincipalObject}, PrincipalId: , ResourceId: {ResourceServicePrincipal}, ConsentType: AllPrincipals, Scope:  Mail.Read User.Read offline_access, CreatedDateTime: ]]; "),
                new("TargetId.ServicePrincipalNames", null, $"{GrantedApp};https://evil.test/app"),
            ],
            targets: [ServicePrincipalObject],
            id: "consent"));

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal("mail_permission_grant", alert.Details["step"]);
        Assert.Null(alert.Mailbox);
        Assert.Equal(["consent"], alert.EvidenceIds);
        Assert.Contains(new ActorKey(ActorKind.App, GrantedApp), alert.ActorKeys);
        Assert.DoesNotContain(new ActorKey(ActorKind.App, ServicePrincipalObject), alert.ActorKeys);
        Assert.DoesNotContain(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
        Assert.Contains("Mail.Read", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_ConsentWithAppIdProperty_ActorAppIsThatId()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Consent to application.",
            area: AdminArea.Identity,
            modified: [new("ConsentAction.Permissions", null, "Scope: Mail.ReadWrite"), new("AppId", null, $"\"{GrantedApp}\"")]));

        Assert.Contains(new ActorKey(ActorKind.App, GrantedApp), alert.ActorKeys);
    }

    [Fact]
    public void Observe_ConsentWithUserReadOnly_NoAlert()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Consent to application.",
            area: AdminArea.Identity,
            modified:
            [
                new("ConsentAction.Permissions", null, $"[] => [[ClientId: {ServicePrincipalObject}, Scope:  User.Read openid profile]]"),
                new("TargetId.ServicePrincipalNames", null, GrantedApp),
            ]));

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1007"));
    }

    [Fact]
    public void Observe_AppRoleAssignmentFullAccessAsApp_Raises()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "Add app role assignment to service principal.",
            area: AdminArea.Identity,
            modified: [new("AppRole.Value", null, "full_access_as_app"), new("ServicePrincipal.AppId", null, GrantedApp)]));

        Assert.Equal("mail_permission_grant", alert.Details["step"]);
        Assert.Contains(new ActorKey(ActorKind.App, GrantedApp), alert.ActorKeys);
    }

    [Fact]
    public void Observe_OtherIdentityOperationMentioningMailScope_NoAlert()
    {
        Outcome outcome = RunOne(s => s.Admin(
            At(20, 3), "Update application.", area: AdminArea.Identity, modified: [new("RequiredResourceAccess", null, "Mail.Read")]));

        Assert.Empty(outcome.Alerts);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("False")]
    [InlineData("failure")]
    public void Observe_FailedOperation_NoAlertButEvaluated(string result)
    {
        Outcome outcome = RunOne(s =>
        {
            s.Admin(At(20, 3), "New-InboxRule", parameters: [P("Mailbox", Bob), P("ForwardTo", "y@evil.test")], result: result);
            s.Admin(At(20, 4), "Set-Mailbox", parameters: [P("Identity", Bob), P("ForwardingSmtpAddress", "smtp:y@evil.test")], result: result);
            s.Admin(
                At(20, 5), "Consent to application.", area: AdminArea.Identity,
                modified: [new("ConsentAction.Permissions", null, "Scope: Mail.Read"), new("TargetId.ServicePrincipalNames", null, GrantedApp)],
                result: result);
        });

        Assert.Empty(outcome.Alerts);
        Assert.Equal(3, outcome.Evaluated("FW1007"));
    }

    [Fact]
    public void Observe_ClientUpdateInboxRulesForwarding_RaisesHighWithMediumConfidence()
    {
        Alert alert = Single(s => s.Admin(
            At(20, 3), "UpdateInboxRules",
            parameters: [P("RuleName", "x"), P("RuleActions", "ForwardToRecipientsAction")],
            mailboxOwner: Bob,
            user: Bob));

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("forwarding_rule", alert.Details["step"]);
        Assert.Equal(Bob, alert.Mailbox);
    }

    [Fact]
    public void Observe_MailAccessAndSignIn_NotEvaluated()
    {
        Outcome outcome = RunOne(s =>
        {
            s.Read(At(20, 3));
            s.SignIn(At(20, 4));
        });

        Assert.Empty(outcome.Alerts);
        Assert.Equal(0, outcome.Evaluated("FW1007"));
    }
}
