using Forgewatch.Core.Events;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Tests.Simulation;

/// <summary>
/// Every playbook, played together in one tenant (and for a few more seeds, shapes and two tenants): its
/// records read back, the truth names them exactly, and each playbook's records tell the story its header
/// comment tells.
/// </summary>
public sealed class PlaybookTests(PlaybookSimulations simulations) : IClassFixture<PlaybookSimulations>
{
    private const StringComparison IgnoreCase = StringComparison.OrdinalIgnoreCase;

    [Fact]
    public void Run_AllPlaybooks_OnlyTheMalformedLinesAreRejected()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            Assert.True(run.Truth.MalformedLines > 0, $"{run}: some lines are malformed on purpose");
            Assert.Equal(run.Truth.MalformedLines, run.Rejections.Count);
            Assert.Equal(run.Truth.Records.Values.Sum() - run.Truth.MalformedLines, run.Events.Count);
            Assert.Equal(run.Events.Count, run.ById.Count);
        }
    }

    [Fact]
    public void Run_AllPlaybooks_EveryTenantHasEachAttackWithMaliciousRecords()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            foreach (TruthTenant tenant in run.Truth.Tenants)
            {
                List<TruthAttack> attacks = [.. run.Truth.Attacks.Where(a => a.Tenant == tenant.Id)];
                Assert.Equal(PlaybookSimulations.AllPlaybooks.Order(StringComparer.Ordinal), attacks.Select(a => a.Playbook).Order(StringComparer.Ordinal));
                Assert.All(attacks, a => Assert.True(a.MaliciousRecordIds.Count > 0, $"{run}: {a.Id} has no malicious records"));
                Assert.All(attacks, a => Assert.True(a.Mailboxes.Count > 0, $"{run}: {a.Id} names no mailbox"));
            }

            Assert.Equal(run.Truth.Attacks.Count, run.Truth.Attacks.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void Truth_MaliciousRecordIds_AreInTheLogsInTimeOrderFromBegan()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            foreach (TruthAttack attack in run.Truth.Attacks)
            {
                Assert.All(attack.MaliciousRecordIds, id => Assert.True(run.ById.ContainsKey(id), $"{run}: {attack.Id}'s record {id} is not in the logs"));
                List<AuditEvent> malicious = run.MaliciousEvents(attack);
                Assert.Equal(attack.Began, malicious[0].Time);
                for (int i = 1; i < malicious.Count; i++)
                {
                    Assert.True(malicious[i - 1].Time <= malicious[i].Time, $"{run}: {attack.Id} lists {malicious[i - 1].RecordId} before {malicious[i].RecordId}, which is earlier");
                }

                Assert.All(malicious, e => Assert.True(e.TenantId == attack.Tenant, $"{run}: {attack.Id}'s record {e.RecordId} is of tenant {e.TenantId}"));
            }
        }
    }

    [Fact]
    public void Truth_AttackMailboxes_AreMailboxesOfItsTenantAndEveryMailboxItRead()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            foreach (TruthAttack attack in run.Truth.Attacks)
            {
                TruthTenant tenant = run.TenantOf(attack);
                Assert.All(attack.Mailboxes, m => Assert.Contains(m, tenant.Mailboxes));
                Assert.All(run.MaliciousEvents(attack).OfType<MailAccessEvent>(), r => Assert.Contains(r.MailboxOwner, attack.Mailboxes, StringComparer.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public void Truth_ExposedAndSyncedFolders_AreWhatTheAttacksBindAndSyncRecordsList()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            foreach (TruthAttack attack in run.Truth.Attacks)
            {
                List<MailAccessEvent> reads = [.. run.MaliciousEvents(attack).OfType<MailAccessEvent>()];
                Assert.Equal(attack.Mailboxes.Order(StringComparer.Ordinal), attack.Exposed.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(attack.Mailboxes.Order(StringComparer.Ordinal), attack.SyncedFolders.Keys.Order(StringComparer.Ordinal));
                foreach (string mailbox in attack.Mailboxes)
                {
                    List<MailAccessEvent> of = [.. reads.Where(r => string.Equals(r.MailboxOwner, mailbox, IgnoreCase))];
                    IEnumerable<string> listed = of.Where(r => r.AccessType == MailAccessType.Bind).SelectMany(r => r.Folders).SelectMany(f => f.InternetMessageIds);
                    Assert.Equal(attack.Exposed[mailbox].Order(StringComparer.Ordinal), listed.Distinct().Order(StringComparer.Ordinal));
                    IEnumerable<string?> synced = of.Where(r => r.AccessType == MailAccessType.Sync).SelectMany(r => r.Folders).Select(f => f.Path);
                    Assert.Equal(attack.SyncedFolders[mailbox].Order(StringComparer.Ordinal), synced.Distinct().Order(StringComparer.Ordinal));
                }
            }
        }
    }

    [Fact]
    public void Truth_AttacksOfOneTenant_HaveDisjointMailboxesAndNoAddressInCommon()
    {
        foreach (PlaybookRun run in simulations.Runs)
        {
            foreach (IGrouping<string, TruthAttack> tenant in run.Truth.Attacks.GroupBy(a => a.Tenant))
            {
                List<TruthAttack> attacks = [.. tenant];
                for (int i = 0; i < attacks.Count; i++)
                {
                    for (int j = i + 1; j < attacks.Count; j++)
                    {
                        (TruthAttack a, TruthAttack b) = (attacks[i], attacks[j]);
                        Assert.True(!a.Mailboxes.Intersect(b.Mailboxes, StringComparer.OrdinalIgnoreCase).Any(), $"{run}: {a.Id} and {b.Id} share a mailbox");
                        var addresses = run.MaliciousEvents(b).Select(e => e.ClientAddress).OfType<string>().ToHashSet(StringComparer.Ordinal);
                        AuditEvent? shared = run.MaliciousEvents(a).FirstOrDefault(e => e.ClientAddress is { } x && addresses.Contains(x));
                        Assert.True(shared is null, $"{run}: {a.Id} and {b.Id} both use {shared?.ClientAddress} ({shared?.RecordId})");
                    }
                }
            }
        }
    }

    [Fact]
    public void ForgedToken_Reads_CarrySessionsAndTokensNoSignInIssued()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("forged-token"))
        {
            List<AuditEvent> malicious = run.MaliciousEvents(attack);
            Assert.All(malicious, e => Assert.IsType<MailAccessEvent>(e));
            var signedIn = run.Events.OfType<SignInEvent>().SelectMany(s => new[] { s.SessionId, s.UniqueTokenId }).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.All(malicious.OfType<MailAccessEvent>(), r =>
            {
                Assert.NotNull(r.AadSessionId);
                Assert.NotNull(r.UniqueTokenId);
                Assert.DoesNotContain(r.AadSessionId, signedIn);
                Assert.DoesNotContain(r.SessionId ?? "", signedIn);
                Assert.DoesNotContain(r.UniqueTokenId, signedIn);
            });
        }
    }

    [Fact]
    public void ForgedToken_Application_NeverReadsMailInBenignRecords()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("forged-token"))
        {
            List<MailAccessEvent> reads = [.. run.MaliciousEvents(attack).OfType<MailAccessEvent>()];
            string app = Assert.Single(reads.Select(r => r.AppId).Distinct())!;
            Assert.DoesNotContain(run.Benign.OfType<MailAccessEvent>(), e => string.Equals(e.AppId, app, IgnoreCase) || string.Equals(e.ClientAppId, app, IgnoreCase));
        }
    }

    [Fact]
    public void ForgedToken_Reads_FallOnWeekdayNightsBeforeNineUtc()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("forged-token"))
        {
            Assert.All(run.MaliciousEvents(attack), e =>
            {
                Assert.InRange(e.Time.Hour, 0, 8);
                Assert.True(e.Time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{run}: {e.RecordId} is on a {e.Time.DayOfWeek}");
            });
        }
    }

    [Fact]
    public void ForgedToken_FirstNight_SyncsAtLeastEightFoldersOfEachVictim()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("forged-token"))
        {
            List<MailAccessEvent> firstNight = [.. run.MaliciousEvents(attack).OfType<MailAccessEvent>().Where(r => r.Time.Date == attack.Began.Date && r.AccessType == MailAccessType.Sync)];
            Assert.Equal(3, attack.Mailboxes.Count);
            foreach (string victim in attack.Mailboxes)
            {
                int folders = firstNight.Where(r => string.Equals(r.MailboxOwner, victim, IgnoreCase)).SelectMany(r => r.Folders).Select(f => f.Path).Distinct().Count();
                Assert.True(folders >= 8, $"{run}: {attack.Id} synced {folders} folders of {victim} the first night");
            }
        }
    }

    [Fact]
    public void TokenReplay_Reads_UseAVictimsSignInTokenFromAnotherAddressWithin90Minutes()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("token-replay"))
        {
            string victim = Assert.Single(attack.Mailboxes);
            List<MailAccessEvent> reads = [.. run.MaliciousEvents(attack).OfType<MailAccessEvent>()];
            Assert.NotEmpty(reads);
            List<SignInEvent> signIns = [.. run.Events.OfType<SignInEvent>()];
            foreach (MailAccessEvent read in reads)
            {
                Assert.Equal(victim, read.MailboxOwner, ignoreCase: true);
                Assert.NotNull(read.AadSessionId);
                SignInEvent issuer = Assert.Single(signIns, s => s.UniqueTokenId == read.UniqueTokenId);
                Assert.DoesNotContain(issuer.RecordId, run.MaliciousIds);
                Assert.True(issuer.Succeeded);
                Assert.Equal(victim, issuer.UserId, ignoreCase: true);
                Assert.Equal(read.AadSessionId, issuer.SessionId);
                Assert.Equal(read.AadSessionId, read.SessionId);
                List<string?> sessionAddresses = [.. signIns.Where(s => s.SessionId == read.AadSessionId).Select(s => s.ClientAddress)];
                Assert.DoesNotContain(read.ClientAddress, sessionAddresses);
                Assert.InRange(read.Time - issuer.Time, TimeSpan.Zero, TimeSpan.FromMinutes(90));
            }
        }
    }

    [Fact]
    public void BecInboxRule_Spray_ThenSignInThenForwardingRuleThenReadsInThatSession()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("bec-inbox-rule"))
        {
            string victim = Assert.Single(attack.Mailboxes);
            List<AuditEvent> malicious = run.MaliciousEvents(attack);

            // Failures of three people or more from one address.
            IGrouping<string?, SignInEvent> spray = Assert.Single(
                malicious.OfType<SignInEvent>().Where(s => s.ErrorCode == 50126).GroupBy(s => s.ClientAddress),
                g => g.Select(s => s.UserId).Distinct(StringComparer.OrdinalIgnoreCase).Count() >= 3);
            DateTime sprayed = spray.Max(s => s.Time);

            // Then the victim's password works from that address.
            SignInEvent success = Assert.Single(malicious.OfType<SignInEvent>(), s => s.Succeeded && s.ErrorCode == 0);
            Assert.Equal(victim, success.UserId, ignoreCase: true);
            Assert.Equal(spray.Key, success.ClientAddress);
            Assert.True(success.Time >= sprayed, $"{run}: {success.RecordId} before the spray");
            Assert.NotNull(success.SessionId);

            // Then an inbox rule forwarding outside, made in that session.
            AdminOperationEvent rule = Assert.Single(malicious.OfType<AdminOperationEvent>(), o => o.Operation == "New-InboxRule");
            Assert.Equal(success.SessionId, rule.SessionId);
            Assert.Equal(victim, rule.UserId, ignoreCase: true);
            Assert.True(rule.Time >= success.Time, $"{run}: {rule.RecordId} before {success.RecordId}");
            string forwardTo = Assert.Single(rule.Parameters, p => p.Name == "ForwardTo").Value!;
            Assert.Contains("@", forwardTo, StringComparison.Ordinal);
            string domain = forwardTo[(forwardTo.IndexOf('@', StringComparison.Ordinal) + 1)..];
            Assert.DoesNotContain(run.Truth.Tenants, t => string.Equals(t.Domain, domain, IgnoreCase));

            // Then reads of the victim's mail in that session.
            List<MailAccessEvent> reads = [.. malicious.OfType<MailAccessEvent>()];
            Assert.NotEmpty(reads);
            Assert.All(reads, r =>
            {
                Assert.Equal(success.SessionId, r.AadSessionId);
                Assert.Equal(victim, r.MailboxOwner, ignoreCase: true);
                Assert.True(r.Time >= rule.Time, $"{run}: {r.RecordId} before the rule");
            });
        }
    }

    [Fact]
    public void ConsentPhish_SignInAndConsent_ThenTheApplicationReadsOnlyTheVictimsMailbox()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("consent-phish"))
        {
            string victim = Assert.Single(attack.Mailboxes);
            List<AuditEvent> malicious = run.MaliciousEvents(attack);
            var benignApps = run.Benign.SelectMany(e => new[] { e.AppId, e.ClientAppId }).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

            // The victim signs in, interactively, to an application nothing benign uses.
            SignInEvent signIn = malicious.OfType<SignInEvent>().First();
            Assert.True(signIn.IsInteractive, $"{run}: {signIn.RecordId} is not interactive");
            Assert.True(signIn.Succeeded);
            Assert.Equal(victim, signIn.UserId, ignoreCase: true);
            string app = signIn.AppId!;
            Assert.DoesNotContain(app, benignApps);

            // Then consents to it reading mail.
            AdminOperationEvent consent = Assert.Single(malicious.OfType<AdminOperationEvent>(), o => o.Operation == "Consent to application.");
            Assert.True(consent.Time >= signIn.Time, $"{run}: {consent.RecordId} before {signIn.RecordId}");
            Assert.Equal(victim, consent.UserId, ignoreCase: true);
            Assert.Contains(consent.ModifiedProperties, p => p.NewValue?.Contains("Mail.Read", StringComparison.Ordinal) == true);
            Assert.Contains(app, consent.Targets, StringComparer.OrdinalIgnoreCase);

            // Then the application reads that mailbox, and no other.
            List<MailAccessEvent> reads = [.. run.Events.OfType<MailAccessEvent>().Where(r => string.Equals(r.AppId, app, IgnoreCase))];
            Assert.NotEmpty(reads);
            Assert.All(reads, r =>
            {
                Assert.Equal(victim, r.MailboxOwner, ignoreCase: true);
                Assert.Contains(r.RecordId, run.MaliciousIds);
                Assert.True(r.Time >= consent.Time, $"{run}: {r.RecordId} before the consent");
            });
            Assert.Equal(malicious.OfType<MailAccessEvent>().Count(), reads.Count);
        }
    }

    [Fact]
    public void AppImpersonation_Grant_ThenServicePrincipalSignInThenAppOnlyReadsOfEightMailboxes()
    {
        foreach ((PlaybookRun run, TruthAttack attack) in simulations.Attacks("app-impersonation"))
        {
            List<AuditEvent> malicious = run.MaliciousEvents(attack);
            TruthTenant tenant = run.TenantOf(attack);

            // An administrator's account grants an application the right to read every mailbox.
            AdminOperationEvent grant = Assert.Single(malicious.OfType<AdminOperationEvent>(), IsMailboxGrant);
            Assert.EndsWith("@" + tenant.Domain, grant.UserId, StringComparison.OrdinalIgnoreCase);
            string servicePrincipal = grant.Operation == "New-ManagementRoleAssignment"
                ? Assert.Single(grant.Parameters, p => p.Name == "App").Value!
                : grant.ObjectId!;

            // Then the granted application signs in as itself.
            List<SignInEvent> appSignIns = [.. malicious.OfType<SignInEvent>().Where(s => s.Log == LogKind.EntraServicePrincipalSignIn)];
            Assert.NotEmpty(appSignIns);
            Assert.All(appSignIns, s =>
            {
                Assert.Equal(servicePrincipal, run.ServicePrincipalId(s.RecordId));
                Assert.True(s.Time >= grant.Time, $"{run}: {s.RecordId} before the grant");
            });
            string app = Assert.Single(appSignIns.Select(s => s.AppId).Distinct())!;
            if (grant.Operation != "New-ManagementRoleAssignment")
            {
                Assert.Contains(grant.ModifiedProperties, p => p.Name == "ServicePrincipal.AppId" && p.NewValue == app);
            }

            // And reads mailboxes with its own tokens, without a session.
            var tokens = appSignIns.Select(s => s.UniqueTokenId).ToHashSet(StringComparer.Ordinal);
            List<MailAccessEvent> reads = [.. malicious.OfType<MailAccessEvent>()];
            Assert.All(reads, r =>
            {
                Assert.Contains(r.UniqueTokenId, tokens);
                Assert.Null(r.AadSessionId);
                Assert.Null(r.SessionId);
                Assert.Equal(app, r.AppId);
                Assert.True(r.Time >= grant.Time, $"{run}: {r.RecordId} before the grant");
            });
            int mailboxes = reads.Select(r => r.MailboxOwner).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            Assert.True(mailboxes >= 8, $"{run}: {attack.Id} read {mailboxes} mailboxes");
        }
    }

    [Fact]
    public void AppImpersonation_TheseSeeds_CoverBothKindsOfGrant()
    {
        IEnumerable<string> kinds = simulations.Attacks("app-impersonation")
            .Select(p => p.Run.MaliciousEvents(p.Attack).OfType<AdminOperationEvent>().Single(IsMailboxGrant).Operation)
            .Distinct(StringComparer.Ordinal);
        Assert.Equal(["Add app role assignment to service principal.", "New-ManagementRoleAssignment"], kinds.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("management-api")]
    [InlineData("purview-csv")]
    public void Run_AllPlaybooksSameOptionsTwice_WritesTheSameBytes(string shape)
    {
        SimulationOptions options = PlaybookSimulations.Main with { Shape = shape };
        string first = Path.Combine(Path.GetTempPath(), "fw-playbook-test-" + Guid.NewGuid().ToString("N"));
        string second = Path.Combine(Path.GetTempPath(), "fw-playbook-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            TruthFile truth = Forgewatch.Simulator.Simulation.Run(options, first);
            TruthFile again = Forgewatch.Simulator.Simulation.Run(options, second);
            Assert.Equal(truth.Files, again.Files);
            Assert.Equal(PlaybookSimulations.AllPlaybooks, truth.Attacks.Select(a => a.Playbook));
            foreach (string file in truth.Files.Append(Forgewatch.Simulator.Simulation.TruthFileName))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
            }
        }
        finally
        {
            foreach (string directory in new[] { first, second })
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temporary folder is harmless.
                }
            }
        }
    }

    private static bool IsMailboxGrant(AdminOperationEvent o) =>
        (o.Operation == "Add app role assignment to service principal." && o.ModifiedProperties.Any(p => p.NewValue == "full_access_as_app"))
        || (o.Operation == "New-ManagementRoleAssignment" && o.Parameters.Any(p => p.Name == "Role" && p.Value == "ApplicationImpersonation"));
}
