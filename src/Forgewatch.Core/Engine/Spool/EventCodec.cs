using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>
/// Writes an <see cref="AuditEvent"/> as bytes and reads it back equal in every member, so that events can
/// wait for their turn in a spool instead of as millions of live objects (which the garbage collector would
/// trace again and again). Message ids stay UTF-8 as read. Hand-written because the event types are
/// immutable classes with lazily made texts that a general serializer would either miss or materialize.
/// </summary>
internal static class EventCodec
{
    /// <summary>The first byte of a mail access's encoding (<see cref="IsMailAccess"/>).</summary>
    public const byte MailAccess = 1;
    private const byte SignIn = 2;
    private const byte Admin = 3;
    private const byte Generic = 4;

    public static void Write(AuditEvent e, SpoolWriter w)
    {
        w.Byte(e switch
        {
            MailAccessEvent => MailAccess,
            SignInEvent => SignIn,
            AdminOperationEvent => Admin,
            GenericEvent => Generic,
            _ => throw new ArgumentException($"Unknown event type {e.GetType()}.", nameof(e)),
        });
        WriteHeader(e, w);
        switch (e)
        {
            case MailAccessEvent m:
                WriteMailAccess(m, w);
                break;
            case SignInEvent s:
                WriteSignIn(s, w);
                break;
            case AdminOperationEvent a:
                WriteAdmin(a, w);
                break;
            case GenericEvent g:
                w.Shared(g.ObjectId);
                break;
        }
    }

    /// <summary>True when the bytes hold a mail access (read without decoding the rest).</summary>
    public static bool IsMailAccess(ReadOnlySpan<byte> data) => data[0] == MailAccess;

    public static AuditEvent Read(ReadOnlySpan<byte> data, StringTable strings)
    {
        var r = new SpoolReader(data, strings);
        byte type = r.Byte();
        EventHeader header = ReadHeader(ref r);
        return type switch
        {
            MailAccess => ReadMailAccess(ref r, header),
            SignIn => ReadSignIn(ref r, header),
            Admin => ReadAdmin(ref r, header),
            Generic => new GenericEvent(header) { ObjectId = r.Shared() },
            _ => throw new InvalidDataException($"Spooled event of unknown type {type}."),
        };
    }

    private static void WriteHeader(AuditEvent e, SpoolWriter w)
    {
        w.Identifier(e.RecordKey);
        w.Int64(e.Time.Ticks);
        w.Shared(e.Operation);
        w.Byte((byte)e.Log);
        w.Shared(e.Origin.Source);
        w.Byte((byte)e.Origin.Shape);
        w.VarUInt((ulong)e.Origin.Line);
        w.VarUInt((ulong)e.Origin.ByteOffset);
        w.Shared(e.TenantId);
        w.Shared(e.UserId);
        w.Shared(e.AppId);
        w.Shared(e.ClientAppId);
        w.Address(e.ClientIp);
        w.Shared(e.ClientIpTextAsLogged);
        w.Shared(e.UserAgent);
        w.Identifier(e.SessionKey);
        w.Identifier(e.AadSessionKey);
        w.Inline(e.UniqueTokenId);
        w.Identifier(e.CorrelationKey);
        w.Shared(e.Workload);
        w.NullableInt(e.RecordType);
        w.Shared(e.ResultStatus);
    }

    private static EventHeader ReadHeader(ref SpoolReader r) => new(
        RecordId: r.Identifier(),
        Time: new DateTime(r.Int64(), DateTimeKind.Utc),
        Operation: r.Shared()!,
        Log: (LogKind)r.Byte(),
        Origin: new RecordOrigin(r.Shared()!, (SourceShape)r.Byte(), (long)r.VarUInt(), (long)r.VarUInt()),
        TenantId: r.Shared(),
        UserId: r.Shared(),
        AppId: r.Shared(),
        ClientAppId: r.Shared(),
        ClientIp: r.Address(),
        ClientIpText: r.Shared(),
        UserAgent: r.Shared(),
        SessionId: r.Identifier(),
        AadSessionId: r.Identifier(),
        UniqueTokenId: r.Inline(),
        CorrelationId: r.Identifier(),
        Workload: r.Shared(),
        RecordType: r.NullableInt(),
        ResultStatus: r.Shared());

    private static void WriteMailAccess(MailAccessEvent m, SpoolWriter w)
    {
        w.Shared(m.MailboxOwner);
        w.Identifier(m.MailboxId);
        w.NullableInt(m.LogonType);
        w.NullableBool(m.ExternalAccess);
        w.Byte((byte)m.AccessType);
        w.Bool(m.IsThrottled);
        w.NullableInt(m.OperationCount);
        w.NullableTime(m.TokenIssuedAt);
        w.Shared(m.TokenTenantId);
        // Folders, then every message id of the record as one block (lengths, then bytes), so that reading
        // it back is two array allocations however many ids there are.
        w.VarUInt((ulong)m.Folders.Count);
        int ids = 0;
        int bytes = 0;
        foreach (AccessedFolder folder in m.Folders)
        {
            w.Shared(folder.Path);
            w.VarUInt((ulong)folder.InternetMessageIds.Count);
            ids += folder.InternetMessageIds.Count;
        }

        if (ids == 0)
        {
            return;
        }

        foreach (AccessedFolder folder in m.Folders)
        {
            IReadOnlyList<string> list = folder.InternetMessageIds;
            for (int i = 0; i < list.Count; i++)
            {
                int length = list is Utf8StringList utf8 ? utf8.GetUtf8(i).Length : System.Text.Encoding.UTF8.GetByteCount(list[i]);
                w.VarUInt((ulong)length);
                bytes += length;
            }
        }

        w.VarUInt((ulong)bytes);
        foreach (AccessedFolder folder in m.Folders)
        {
            IReadOnlyList<string> list = folder.InternetMessageIds;
            for (int i = 0; i < list.Count; i++)
            {
                if (list is Utf8StringList utf8)
                {
                    w.Raw(utf8.GetUtf8(i));
                }
                else
                {
                    w.RawString(list[i]);
                }
            }
        }
    }

    private static MailAccessEvent ReadMailAccess(ref SpoolReader r, in EventHeader header)
    {
        string? owner = r.Shared();
        Identifier mailbox = r.Identifier();
        int? logonType = r.NullableInt();
        bool? external = r.NullableBool();
        var accessType = (MailAccessType)r.Byte();
        bool throttled = r.Bool();
        int? count = r.NullableInt();
        DateTime? issued = r.NullableTime();
        string? tokenTenant = r.Shared();
        int folderCount = (int)r.VarUInt();
        var folders = folderCount == 0 ? [] : new AccessedFolder[folderCount];
        if (folderCount > 0)
        {
            var paths = new string?[folderCount];
            var counts = new int[folderCount];
            int ids = 0;
            for (int f = 0; f < folderCount; f++)
            {
                paths[f] = r.Shared();
                counts[f] = (int)r.VarUInt();
                ids += counts[f];
            }

            // All message ids of the record in one buffer, as the readers hold them.
            byte[] buffer = [];
            int[] bounds = [0];
            if (ids > 0)
            {
                bounds = new int[ids + 1];
                for (int i = 0; i < ids; i++)
                {
                    bounds[i + 1] = bounds[i] + (int)r.VarUInt();
                }

                buffer = r.Raw((int)r.VarUInt()).ToArray();
            }

            int first = 0;
            for (int f = 0; f < folderCount; f++)
            {
                folders[f] = new AccessedFolder(paths[f], counts[f] == 0 ? Utf8StringList.Empty : new Utf8StringList(buffer, bounds, first, counts[f]));
                first += counts[f];
            }
        }

        return new MailAccessEvent(header)
        {
            MailboxOwner = owner,
            MailboxId = mailbox,
            LogonType = logonType,
            ExternalAccess = external,
            AccessType = accessType,
            IsThrottled = throttled,
            OperationCount = count,
            TokenIssuedAt = issued,
            TokenTenantId = tokenTenant,
            Folders = folders,
        };
    }

    private static void WriteSignIn(SignInEvent s, SpoolWriter w)
    {
        w.Bool(s.Succeeded);
        w.NullableInt(s.ErrorCode);
        w.Shared(s.UserObjectId);
        w.Shared(s.AppDisplayName);
        w.Shared(s.ResourceId);
        w.Shared(s.ResourceDisplayName);
        w.Shared(s.ClientAppUsed);
        w.NullableBool(s.IsInteractive);
        w.Shared(s.Country);
        w.Shared(s.City);
        w.Shared(s.OperatingSystem);
        w.Shared(s.Browser);
        w.Shared(s.DeviceId);
        w.Shared(s.RiskLevelDuringSignIn);
    }

    private static SignInEvent ReadSignIn(ref SpoolReader r, in EventHeader header) => new(header)
    {
        Succeeded = r.Bool(),
        ErrorCode = r.NullableInt(),
        UserObjectId = r.Shared(),
        AppDisplayName = r.Shared(),
        ResourceId = r.Shared(),
        ResourceDisplayName = r.Shared(),
        ClientAppUsed = r.Shared(),
        IsInteractive = r.NullableBool(),
        Country = r.Shared(),
        City = r.Shared(),
        OperatingSystem = r.Shared(),
        Browser = r.Shared(),
        DeviceId = r.Shared(),
        RiskLevelDuringSignIn = r.Shared(),
    };

    private static void WriteAdmin(AdminOperationEvent a, SpoolWriter w)
    {
        w.Byte((byte)a.Area);
        w.Shared(a.ObjectId);
        w.Shared(a.MailboxOwner);
        w.VarUInt((ulong)a.Parameters.Count);
        foreach (NamedValue parameter in a.Parameters)
        {
            w.Shared(parameter.Name);
            w.Inline(parameter.Value);
        }

        w.VarUInt((ulong)a.ModifiedProperties.Count);
        foreach (ModifiedProperty property in a.ModifiedProperties)
        {
            w.Shared(property.Name);
            w.Inline(property.OldValue);
            w.Inline(property.NewValue);
        }

        w.VarUInt((ulong)a.Targets.Count);
        foreach (string target in a.Targets)
        {
            w.Inline(target);
        }
    }

    private static AdminOperationEvent ReadAdmin(ref SpoolReader r, in EventHeader header)
    {
        var area = (AdminArea)r.Byte();
        string? objectId = r.Shared();
        string? owner = r.Shared();
        var parameters = new NamedValue[(int)r.VarUInt()];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = new NamedValue(r.Shared()!, r.Inline());
        }

        var properties = new ModifiedProperty[(int)r.VarUInt()];
        for (int i = 0; i < properties.Length; i++)
        {
            properties[i] = new ModifiedProperty(r.Shared()!, r.Inline(), r.Inline());
        }

        var targets = new string[(int)r.VarUInt()];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = r.Inline()!;
        }

        return new AdminOperationEvent(header)
        {
            Area = area,
            ObjectId = objectId,
            MailboxOwner = owner,
            Parameters = parameters,
            ModifiedProperties = properties,
            Targets = targets,
        };
    }
}
