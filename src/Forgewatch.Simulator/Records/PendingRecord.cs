namespace Forgewatch.Simulator.Records;

/// <summary>A record of the day not yet in the files: where it goes in the output (time, id), which log
/// it belongs to, and where its JSON is (<paramref name="Length"/> bytes at <paramref name="Offset"/> in
/// <paramref name="Line"/>, whose buffer may still grow until the day is taken).</summary>
internal readonly record struct PendingRecord(RecordRef Ref, SimLog Log, JsonLine Line, int Offset, int Length) : IComparable<PendingRecord>
{
    /// <summary>The output's order: by time, then id as text (ids are unique, so the order is total).</summary>
    public int CompareTo(PendingRecord other)
    {
        int order = Ref.Time.CompareTo(other.Ref.Time);
        return order != 0 ? order : TextOrder(Ref.Id, other.Ref.Id);
    }

    /// <summary>The order of two GUIDs' canonical texts (<c>string.CompareOrdinal</c>): their big-endian
    /// bytes are the text's hexadecimal digits in order.</summary>
    private static int TextOrder(Guid a, Guid b)
    {
        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        a.TryWriteBytes(left, bigEndian: true, out _);
        b.TryWriteBytes(right, bigEndian: true, out _);
        return left.SequenceCompareTo(right);
    }
}
