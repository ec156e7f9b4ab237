using System.Buffers;
using System.Collections.Concurrent;

namespace Forgewatch.Simulator.Records;

/// <summary>A day's records with their JSON (the first <paramref name="count"/> of <paramref name="records"/>,
/// an array rented from the shared pool), ready for the sink once <see cref="Sort">sorted</see>. Their bytes
/// live in buffers borrowed from the day buffer until <see cref="Release"/>.</summary>
internal sealed class EncodedDay(PendingRecord[] records, int count, JsonLine[] buffers, ConcurrentBag<JsonLine> free)
{
    private PendingRecord[] _records = records;
    private int _malformedAfter = -1;

    /// <summary>The day's records, without the malformed copy.</summary>
    public int Count => count;

    /// <summary>Lines to write: the records and the malformed copy, if any.</summary>
    public int Lines => count + (_malformedAfter >= 0 ? 1 : 0);

    /// <summary>After the record at <paramref name="index"/> in time order comes a malformed copy: its first
    /// half, a JSON text cut short, under its id with <c>~</c> added.</summary>
    public void AddMalformedAfter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        _malformedAfter = index;
    }

    /// <summary>Puts the records in the output's order (<see cref="PendingRecord.CompareTo"/>): each half
    /// on a core of its own, then the halves merged.</summary>
    public void Sort()
    {
        PendingRecord[] all = _records;
        int half = count / 2;
        Parallel.Invoke(() => all.AsSpan(0, half).Sort(), () => all.AsSpan(half, count - half).Sort());
        PendingRecord[] merged = ArrayPool<PendingRecord>.Shared.Rent(count);
        int left = 0, right = half, next = 0;
        while (left < half && right < count)
        {
            merged[next++] = all[left].CompareTo(all[right]) <= 0 ? all[left++] : all[right++];
        }

        all.AsSpan(left, half - left).CopyTo(merged.AsSpan(next));
        next += half - left;
        all.AsSpan(right, count - right).CopyTo(merged.AsSpan(next));
        ArrayPool<PendingRecord>.Shared.Return(all, clearArray: true);
        _records = merged;
    }

    /// <summary>The lines to write, in the order the records are in (time order once sorted).</summary>
    public IEnumerable<SimRecord> Records()
    {
        for (int i = 0; i < count; i++)
        {
            (RecordRef reference, SimLog log, JsonLine line, int offset, int length) = _records[i];
            ReadOnlyMemory<byte> json = line.Buffer.AsMemory(offset, length);
            yield return new SimRecord(reference.Time, reference.Id, log, json);
            if (i == _malformedAfter)
            {
                yield return new SimRecord(reference.Time, reference.Id, log, json[..(length / 2)], Malformed: true);
            }
        }
    }

    /// <summary>Gives the buffers back; the records must not be used after this.</summary>
    public void Release()
    {
        ArrayPool<PendingRecord>.Shared.Return(_records, clearArray: true);
        foreach (JsonLine buffer in buffers)
        {
            free.Add(buffer);
        }
    }
}
