using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1002: a mailbox access whose sign-in session (<c>AADSessionId</c>) and token (<c>UniqueTokenId</c>)
/// match no sign-in of its user: the token was not made by a sign-in, as forged and replayed tokens are
/// not. Evaluated only where the tenant's Entra sign-in logs cover the look-back window; everything else is
/// counted as not evaluated (docs/detections/FW1002.md).
/// </summary>
public sealed class UnlinkedMailSession : IDetection, ISnapshotState
{
    public const string NoIdentifier = "no session or token id in the record";
    public const string NoUser = "no acting user in the record";
    public const string SignInsNotCovered = "sign-in logs do not cover the look-back window";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly KeyedState<SignInMark> _signIns = new();
    private readonly Queue<(MailAccessEvent Access, string Tenant)> _pending = new();
    private DateTime _nextSweep = DateTime.MinValue;
    private CoverageCache? _interactive;
    private CoverageCache? _nonInteractive;

    public string Id => "FW1002";

    public string Title => "Mail read with a session no sign-in created";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is SignInEvent { Succeeded: true } signIn)
        {
            Mark(tenant, signIn.SessionId, signIn);
            Mark(tenant, signIn.UniqueTokenId, signIn);
        }
        else if (e is MailAccessEvent access && !JudgedLinked(access, tenant, context))
        {
            // Judged once sign-ins logged a little after the access have been seen too (Advance).
            _pending.Enqueue((access, tenant));
        }
    }

    public void Advance(DateTime now, DetectionContext context)
    {
        TimeSpan tolerance = context.Options.SignInTolerance;
        while (_pending.TryPeek(out var next) && next.Access.Time + tolerance < now)
        {
            _pending.Dequeue();
            Judge(next.Access, next.Tenant, context);
        }

        if (now >= _nextSweep && _signIns.GrewSinceSweep)
        {
            DateTime horizon = now - context.Options.SignInLookback - tolerance;
            _signIns.RemoveWhere(mark => mark.Last < horizon);
            _nextSweep = now + SweepEvery;
        }
    }

    public void Finish(DetectionContext context)
    {
        while (_pending.TryDequeue(out var next))
        {
            Judge(next.Access, next.Tenant, context);
        }
    }

    /// <summary>Sign-ins by identifier, the reads waiting to be judged (in arrival order) and the next
    /// sweep; the coverage caches are made again.</summary>
    public void WriteState(SnapshotWriter writer)
    {
        _signIns.Write(writer, static (w, mark) => mark.Write(w));
        writer.WriteItems(_pending, static (w, pending) =>
        {
            w.WriteEvent(pending.Access);
            w.WriteString(pending.Tenant);
        });
        writer.WriteTime(_nextSweep);
    }

    public void ReadState(SnapshotReader reader)
    {
        _signIns.Read(reader, SignInMark.Read);
        _pending.Clear();
        reader.ReadItems(r => _pending.Enqueue((r.ReadEvent<MailAccessEvent>(), r.ReadString())));
        _nextSweep = reader.ReadTime();
    }

    private void Mark(string tenant, string? identifier, SignInEvent signIn)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return;
        }

        SignInMark mark = _signIns.GetOrAdd(tenant, identifier, static t => new SignInMark(t), signIn.Time);
        mark.Last = signIn.Time;
        mark.AddUser(signIn.UserId, signIn.Log == LogKind.EntraServicePrincipalSignIn || signIn.Log == LogKind.EntraManagedIdentitySignIn);
    }

    /// <summary>Judges an access at once when a mark already links it: sign-ins seen later only add marks,
    /// users and later times, a mark that links it is not swept before its judgment would have come, and the
    /// coverage of the look-back window before it is settled once the events reach it, so waiting would change
    /// nothing. Only the others wait: the queue holds the accesses of the last minutes not linked yet, not
    /// every access.</summary>
    private bool JudgedLinked(MailAccessEvent access, string tenant, DetectionContext context)
    {
        if (!Linked(access, tenant, context.Options))
        {
            return false;
        }

        Judge(access, tenant, context, linked: true);
        return true;
    }

    /// <summary>Judges an access as docs/detections/FW1002.md says; <c>linked</c>: already known to be linked
    /// (<see cref="Linked"/>), so not asked again.</summary>
    private void Judge(MailAccessEvent access, string tenant, DetectionContext context, bool linked = false)
    {
        string? session = access.AadSessionId;
        string? token = access.UniqueTokenId;
        DateTime time = access.Time;
        if (string.IsNullOrEmpty(session) && string.IsNullOrEmpty(token))
        {
            context.Evaluation.NotEvaluated(Id, tenant, NoIdentifier, time);
            return;
        }

        if (string.IsNullOrEmpty(access.UserId))
        {
            context.Evaluation.NotEvaluated(Id, tenant, NoUser, time);
            return;
        }

        _interactive ??= new CoverageCache(LogKind.EntraInteractiveSignIn, context.Options.SignInLookback);
        _nonInteractive ??= new CoverageCache(LogKind.EntraNonInteractiveSignIn, context.Options.SignInLookback);
        bool interactive = _interactive.Covers(context.Coverage, tenant, time);
        bool nonInteractive = _nonInteractive.Covers(context.Coverage, tenant, time);
        if (!interactive && !nonInteractive)
        {
            context.Evaluation.NotEvaluated(Id, tenant, SignInsNotCovered, time);
            return;
        }

        context.Evaluation.Evaluated(Id, tenant);
        if (linked || Linked(access, tenant, context.Options))
        {
            return;
        }

        string mailbox = EventKeys.Mailbox(access) ?? access.UserId;
        string identifier = !string.IsNullOrEmpty(session) ? session : token!;
        string kind = !string.IsNullOrEmpty(session) ? "session" : "token";
        context.Raise(this, new Finding
        {
            Evidence = access,
            Tenant = tenant,
            Group = identifier,
            Mailbox = mailbox,
            Severity = Severity.High,
            Confidence = interactive && nonInteractive ? Confidence.High : Confidence.Medium,
            Reason = $"{access.UserId} read {mailbox} with {kind} {EventKeys.Short(identifier)}, which no sign-in of that user created in the {context.Options.SignInLookback.TotalHours:0} hours before.",
            Actor = ActorScope.Client,
            ActorApp = context.IsAllowedApp(access.AppId) ? null : access.AppId,
            Details = new Dictionary<string, string>
            {
                ["aad_session_id"] = session ?? string.Empty,
                ["unique_token_id"] = token ?? string.Empty,
                ["sign_in_logs"] = interactive && nonInteractive ? "interactive and non-interactive" : interactive ? "interactive only" : "non-interactive only",
            },
        });
    }

    /// <summary>True when the access's <c>AADSessionId</c> or <c>UniqueTokenId</c> has a mark of its user (or of a
    /// service principal) from the look-back window before it to the tolerance after it.</summary>
    private bool Linked(MailAccessEvent access, string tenant, DetectionOptions options)
    {
        if (string.IsNullOrEmpty(access.UserId))
        {
            return false;
        }

        DateTime from = access.Time - options.SignInLookback;
        DateTime until = access.Time + options.SignInTolerance;
        return Links(tenant, access.AadSessionId, access.UserId, from, until) || Links(tenant, access.UniqueTokenId, access.UserId, from, until);
    }

    private bool Links(string tenant, string? identifier, string user, DateTime from, DateTime until) =>
        !string.IsNullOrEmpty(identifier)
        && _signIns.Find(tenant, identifier) is { } mark
        && mark.First <= until && mark.Last >= from
        && mark.Belongs(user);

    /// <summary>When sign-ins carried an identifier, and whose it was.</summary>
    private sealed class SignInMark(DateTime first)
    {
        private const int MaxUsers = 64;

        private string? _user;
        private List<string>? _moreUsers;
        private bool _servicePrincipal;

        public DateTime First { get; } = first;

        public DateTime Last { get; set; } = first;

        public static SignInMark Read(SnapshotReader r)
        {
            var mark = new SignInMark(r.ReadTime()) { Last = r.ReadTime(), _user = r.ReadNullableString(), _servicePrincipal = r.ReadBoolean() };
            if (r.ReadBoolean())
            {
                mark._moreUsers = [];
                r.ReadItems(r => mark._moreUsers.Add(r.ReadString()));
            }

            return mark;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteTime(First);
            w.WriteTime(Last);
            w.WriteNullableString(_user);
            w.WriteBoolean(_servicePrincipal);
            w.WriteBoolean(_moreUsers is not null);
            if (_moreUsers is not null)
            {
                w.WriteItems(_moreUsers, static (w, user) => w.WriteString(user));
            }
        }

        public void AddUser(string? user, bool servicePrincipal)
        {
            _servicePrincipal |= servicePrincipal;
            if (string.IsNullOrEmpty(user) || string.Equals(user, _user, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (_user is null)
            {
                _user = user;
            }
            else if ((_moreUsers is null || !_moreUsers.Contains(user, StringComparer.OrdinalIgnoreCase)) && (_moreUsers?.Count ?? 0) < MaxUsers)
            {
                // Bounded: a hostile log could name one identifier with endless users.
                (_moreUsers ??= []).Add(user);
            }
        }

        /// <summary>True when a sign-in of <paramref name="user"/> (or of an application, whose tokens
        /// name no user) carried the identifier.</summary>
        public bool Belongs(string user) =>
            _servicePrincipal
            || string.Equals(user, _user, StringComparison.OrdinalIgnoreCase)
            || (_moreUsers?.Contains(user, StringComparer.OrdinalIgnoreCase) ?? false);
    }
}
