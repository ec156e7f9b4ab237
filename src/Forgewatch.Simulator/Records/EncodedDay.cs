using System.Collections.Concurrent;

namespace Forgewatch.Simulator.Records;

/// <summary>A day's records as JSON, ready for the sink; their bytes live in buffers borrowed from a
/// <see cref="DayEncoder"/> until <see cref="Release"/>.</summary>
internal sealed class EncodedDay(List<SimRecord> records, JsonLine[] buffers, ConcurrentBag<JsonLine> free)
{
    public IReadOnlyList<SimRecord> Records => records;

    /// <summary>Gives the buffers back; the records must not be used after this.</summary>
    public void Release()
    {
        foreach (JsonLine buffer in buffers)
        {
            free.Add(buffer);
        }
    }
}
