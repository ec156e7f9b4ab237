using Forgewatch.Core.Events;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The pipes a tenant's records come through: the unified audit log (mail access, admin and directory
/// records, the UAL's own sign-in records) and the Entra sign-in logs. Each pipe delivers in its own time and
/// order; within a pipe, the latest record time says how far the pipe has got. Events before the earliest
/// of those times (the horizon) are covered by every pipe the tenant sends, so a detection that joins
/// mail access with sign-ins sees both sides before it concludes.
/// </summary>
public sealed class LogPipes
{
    private const int Count = 2;

    private readonly DateTime[] _latest = [DateTime.MinValue, DateTime.MinValue];

    /// <summary>The latest record time of each pipe, <see cref="DateTime.MinValue"/> while none came.</summary>
    public IReadOnlyList<DateTime> Latest => _latest;

    /// <summary>True once every pipe has delivered a record.</summary>
    public bool AllSeen => Array.TrueForAll(_latest, latest => latest != DateTime.MinValue);

    public static int PipeOf(LogKind log) => log.IsEntraSignIn() ? 1 : 0;

    public void Add(AuditEvent e)
    {
        int pipe = PipeOf(e.Log);
        if (e.Time > _latest[pipe])
        {
            _latest[pipe] = e.Time;
        }
    }

    /// <summary>The earliest of the latest times of the pipes seen: every event before it is covered by every
    /// pipe (unless a record arrives late). <see cref="DateTime.MinValue"/> when nothing came.</summary>
    public DateTime Horizon()
    {
        DateTime horizon = DateTime.MaxValue;
        bool any = false;
        foreach (DateTime latest in _latest)
        {
            if (latest != DateTime.MinValue)
            {
                any = true;
                horizon = latest < horizon ? latest : horizon;
            }
        }

        return any ? horizon : DateTime.MinValue;
    }

    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Count);
        foreach (DateTime latest in _latest)
        {
            writer.Write(latest.Ticks);
        }
    }

    public static LogPipes Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.ReadInt32() != Count)
        {
            throw new InvalidDataException("The snapshot was written with other log pipes.");
        }

        var pipes = new LogPipes();
        for (int i = 0; i < Count; i++)
        {
            pipes._latest[i] = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        }

        return pipes;
    }
}
