using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Core.Alerts;

/// <summary>An alert in a snapshot: every member, collections in their order (actor keys in the order the
/// set enumerates them, which re-adding them in that order keeps).</summary>
public sealed partial class Alert
{
    private Alert(SnapshotReader r)
    {
        Id = r.ReadString();
        Detection = r.ReadString();
        Title = r.ReadString();
        Tenant = r.ReadString();
        Group = r.ReadString();
        User = r.ReadNullableString();
        Mailbox = r.ReadNullableString();
        FirstSeen = r.ReadTime();
        LastSeen = r.ReadTime();
        Severity = r.ReadByte() is var severity && Enum.IsDefined((Severity)severity) ? (Severity)severity : throw r.Corrupt($"severity {severity}");
        Confidence = r.ReadByte() is var confidence && Enum.IsDefined((Confidence)confidence) ? (Confidence)confidence : throw r.Corrupt($"confidence {confidence}");
        Reason = r.ReadString();
        Attributes = new AlertAttributes(r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString(), r.ReadNullableString());
        var details = new Dictionary<string, string>();
        r.ReadItems(r => details.Add(r.ReadString(), r.ReadString()));
        Details = details;
        r.ReadItems(r => _evidenceIds.Add(r.ReadString()));
        EvidenceCount = r.ReadInt64();
        r.ReadItems(r => _actorKeys.Add(new ActorKey(r.ReadByte() is var kind && Enum.IsDefined((ActorKind)kind) ? (ActorKind)kind : throw r.Corrupt($"actor kind {kind}"), r.ReadString())));
        Incident = r.ReadNullableString();
    }

    internal static Alert Read(SnapshotReader reader) => new(reader);

    internal void Write(SnapshotWriter w)
    {
        w.WriteString(Id);
        w.WriteString(Detection);
        w.WriteString(Title);
        w.WriteString(Tenant);
        w.WriteString(Group);
        w.WriteNullableString(User);
        w.WriteNullableString(Mailbox);
        w.WriteTime(FirstSeen);
        w.WriteTime(LastSeen);
        w.WriteByte((byte)Severity);
        w.WriteByte((byte)Confidence);
        w.WriteString(Reason);
        foreach (string? value in (ReadOnlySpan<string?>)[Attributes.AppId, Attributes.ClientAppId, Attributes.Ip, Attributes.SessionId, Attributes.UserAgent, Attributes.UniqueTokenId])
        {
            w.WriteNullableString(value);
        }

        w.WriteItems(Details, static (w, d) =>
        {
            w.WriteString(d.Key);
            w.WriteString(d.Value);
        });
        w.WriteItems(_evidenceIds, static (w, id) => w.WriteString(id));
        w.WriteInt64(EvidenceCount);
        w.WriteItems(_actorKeys, static (w, key) =>
        {
            w.WriteByte((byte)key.Kind);
            w.WriteString(key.Value);
        });
        w.WriteNullableString(Incident);
    }
}
