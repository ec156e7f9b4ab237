using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1008: failed sign-ins of several users from one address in a short window (a password spray), and a
/// successful sign-in from that address afterwards: a guessed password, typically the first step of
/// business email compromise. Addresses many users sign in from successfully (offices, gateways) are left
/// alone (docs/detections/FW1008.md).
/// </summary>
public sealed class PasswordSprayThenSignIn : IDetection, ISnapshotState
{
    private const int MaxUsersKept = 64;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly KeyedState<AddressState> _addresses = new();
    private DateTime _nextSweep = DateTime.MinValue;

    public string Id => "FW1008";

    public string Title => "Password spray, then a sign-in from the spraying address";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is not SignInEvent signIn || signIn.ClientAddress is not { Length: > 0 } ip || signIn.UserId is not { Length: > 0 } user)
        {
            return;
        }

        DetectionOptions options = context.Options;
        AddressState state = _addresses.GetOrAdd(tenant, ip, static _ => new AddressState(), 0);
        state.Last = e.Time;
        context.Evaluation.Evaluated(Id, tenant);
        if (signIn.Succeeded)
        {
            if (state.SprayedAt is { } sprayed && e.Time - sprayed <= options.SprayFollowUp && !state.Known(e.Time - options.BaselineWindow, options.SprayKnownAddressUsers))
            {
                Raise(context, tenant, ip, signIn, Severity.High, Confidence.High, ActorScope.Client,
                    $"{user} signed in from {ip} {(e.Time - sprayed).TotalMinutes:0} minutes after failed sign-ins of {state.SprayedUsers} users from that address: a guessed password.",
                    state.SprayedUsers);
            }

            state.Succeeded(user, e.Time);
            return;
        }

        if (!IsCredentialFailure(signIn))
        {
            return;
        }

        DateTime windowStart = e.Time - options.SprayWindow;
        state.Fail(signIn, windowStart);
        int users = state.FailedUsers;
        if (users < options.SprayUsers || state.Known(e.Time - options.BaselineWindow, options.SprayKnownAddressUsers))
        {
            return;
        }

        state.SprayedAt = e.Time;
        state.SprayedUsers = Math.Max(state.SprayedUsers, users);
        foreach (SignInEvent failure in HeldEvidence.Take(state.Held))
        {
            Raise(context, tenant, ip, failure, Severity.Medium, Confidence.Medium, ActorScope.Ip,
                $"{users} users failed to sign in from {ip} within {options.SprayWindow.TotalMinutes:0} minutes, an address none of them signs in from: a password spray.",
                users);
        }
    }

    public void Advance(DateTime now, DetectionContext context)
    {
        if (now < _nextSweep || !_addresses.GrewSinceSweep)
        {
            return;
        }

        DateTime horizon = now - context.Options.BaselineWindow;
        _addresses.RemoveWhere(a => a.Last < horizon);
        _nextSweep = now + SweepEvery;
    }

    public void WriteState(SnapshotWriter writer)
    {
        _addresses.Write(writer, static (w, address) => address.Write(w));
        writer.WriteTime(_nextSweep);
    }

    public void ReadState(SnapshotReader reader)
    {
        _addresses.Read(reader, AddressState.Read);
        _nextSweep = reader.ReadTime();
    }

    /// <summary>Wrong password, unknown user, locked or disabled account: what guessing produces
    /// (not conditional access, MFA or device failures, which follow a right password).</summary>
    private static bool IsCredentialFailure(SignInEvent e) =>
        e.ErrorCode is 50126 or 50034 or 50053 or 50055 or 50057 or null;

    private void Raise(DetectionContext context, string tenant, string ip, SignInEvent evidence, Severity severity, Confidence confidence, ActorScope actor, string reason, int users) =>
        context.Raise(this, new Finding
        {
            Evidence = evidence,
            Tenant = tenant,
            Group = ip,
            Mailbox = null,
            Severity = severity,
            Confidence = confidence,
            Reason = reason,
            Actor = actor,
            Details = new Dictionary<string, string>
            {
                ["address"] = ip,
                ["users_failed"] = users.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    /// <summary>What one address did: recent failures, whether a spray came from it, who signs in from it.</summary>
    private sealed class AddressState
    {
        private readonly Dictionary<string, DateTime> _succeeded = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<SignInEvent> _failures = [];

        public List<SignInEvent> Held { get; } = [];

        public DateTime Last { get; set; }

        public DateTime? SprayedAt { get; set; }

        public int SprayedUsers { get; set; }

        public int FailedUsers => _failures.Select(f => f.UserId).Distinct(StringComparer.OrdinalIgnoreCase).Count();

        public void Fail(SignInEvent e, DateTime windowStart)
        {
            _failures.RemoveAll(f => f.Time < windowStart);
            if (_failures.Count >= HeldEvidence.MaxHeld)
            {
                _failures.RemoveAt(0);
            }

            _failures.Add(e);
            HeldEvidence.Add(Held, e, windowStart);
        }

        public void Succeeded(string user, DateTime time)
        {
            if (_succeeded.Count < MaxUsersKept || _succeeded.ContainsKey(user))
            {
                _succeeded[user] = time;
            }
        }

        public static AddressState Read(SnapshotReader r)
        {
            var state = new AddressState();
            r.ReadItems(r => state._succeeded.Add(r.ReadString(), r.ReadTime()));
            r.ReadItems(r => state._failures.Add(r.ReadEvent<SignInEvent>()));
            r.ReadItems(r => state.Held.Add(r.ReadEvent<SignInEvent>()));
            state.Last = r.ReadTime();
            state.SprayedAt = r.ReadNullableTime();
            state.SprayedUsers = r.ReadInt32();
            return state;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteItems(_succeeded, static (w, user) =>
            {
                w.WriteString(user.Key);
                w.WriteTime(user.Value);
            });
            w.WriteItems(_failures, static (w, failure) => w.WriteEvent(failure));
            w.WriteItems(Held, static (w, failure) => w.WriteEvent(failure));
            w.WriteTime(Last);
            w.WriteNullableTime(SprayedAt);
            w.WriteInt32(SprayedUsers);
        }

        /// <summary>True when at least <paramref name="users"/> distinct users signed in from here since <paramref name="since"/>.</summary>
        public bool Known(DateTime since, int users) => _succeeded.Values.Count(t => t >= since) >= users;
    }
}
