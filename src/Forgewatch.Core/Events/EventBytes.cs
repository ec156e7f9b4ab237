using Forgewatch.Core.Engine.Spool;

namespace Forgewatch.Core.Events;

/// <summary>
/// An event as self-contained bytes and back, equal in every member: how a store keeps events so that
/// detections can run over them again later. The bytes start with a format version; they are the spool's
/// encoding with every string inline, so no table outside them is needed. Thread-safe.
/// </summary>
public static class EventBytes
{
    /// <summary>The format written now; <see cref="Decode"/> refuses others.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Where the bytes tell what kind of event they hold: a mail access has
    /// <see cref="MailAccessKind"/> there. Lets a store pick mail accesses without decoding anything.</summary>
    public const int KindOffset = 1;

    /// <summary>The byte at <see cref="KindOffset"/> of a mail access.</summary>
    public const byte MailAccessKind = EventCodec.MailAccess;

    private static readonly StringTable Inline = new(maxEntries: 0);

    [ThreadStatic]
    private static SpoolWriter? t_writer;

    public static byte[] Encode(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        SpoolWriter writer = t_writer ??= new SpoolWriter(Inline);
        writer.Clear();
        writer.Byte(FormatVersion);
        EventCodec.Write(e, writer);
        return writer.Written.ToArray();
    }

    /// <summary>The event from bytes <see cref="Encode"/> made. Throws <see cref="FormatException"/> for bytes
    /// of another version or that end early.</summary>
    public static AuditEvent Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != FormatVersion)
        {
            throw new FormatException($"Stored event bytes are not format version {FormatVersion}.");
        }

        try
        {
            return EventCodec.Read(bytes[1..], Inline);
        }
        catch (IndexOutOfRangeException e)
        {
            throw new FormatException("Stored event bytes end early.", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException("Stored event bytes end early.", e);
        }
    }
}
