using System.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// The members a nested reader knows (a folder item's <c>InternetMessageId</c>, <c>SizeInBytes</c>,
/// <c>Id</c>...), and the order the input has been writing them in, learned as it goes: which name came
/// after which in the last object. A member in the learned place is matched by one compare
/// (<see cref="JsonScanner.NextMember(ReadOnlySpan{byte}, out bool)"/>); any other is matched by name,
/// ignoring ASCII case, and teaches the order. Records of one export write their nested objects alike,
/// so after the first record nearly every member is taken in one step. Not thread-safe: one per worker.
/// </summary>
internal sealed class MemberOrder
{
    /// <summary>Each known member as compact JSON writes it after another: <c>,"Name":</c>.</summary>
    private readonly byte[][] _patterns;
    private readonly byte[][] _names;

    /// <summary>The member expected next: [0] at the object's start, [i + 1] after known member i,
    /// [^1] after a member that is not known; -1 for no guess.</summary>
    private readonly int[] _next;

    /// <param name="names">The members, in the order the vendor usually writes them (the first guess).</param>
    public MemberOrder(params ReadOnlySpan<string> names)
    {
        _names = new byte[names.Length][];
        _patterns = new byte[names.Length][];
        _next = new int[names.Length + 2];
        for (int i = 0; i < names.Length; i++)
        {
            _names[i] = Encoding.ASCII.GetBytes(names[i]);
            _patterns[i] = Encoding.ASCII.GetBytes($",\"{names[i]}\":");
            _next[i] = i;
        }

        _next[names.Length] = -1;
        _next[names.Length + 1] = -1;
    }

    /// <summary>
    /// Inside an object (after its start or a member's value), moves to the next member, onto its value,
    /// and says which known member it is (<paramref name="which"/>, -1 for another); false at the object's
    /// end. <paramref name="previous"/> carries the last member's <paramref name="which"/> from call to
    /// call; start it at <see cref="AtStart"/> for each object.
    /// </summary>
    public bool Next(ref JsonScanner reader, ref int previous, out int which)
    {
        int slot = previous == AtStart ? 0 : previous < 0 ? _next.Length - 1 : previous + 1;
        int guess = _next[slot];
        if (!reader.NextMember(guess >= 0 ? _patterns[guess] : default, out bool expected))
        {
            which = -1;
            return false;
        }

        if (expected)
        {
            which = guess;
        }
        else
        {
            which = Find(ref reader);
            _next[slot] = which;
        }

        previous = which;
        return true;
    }

    /// <summary>The <c>previous</c> of <see cref="Next"/> at an object's start.</summary>
    public const int AtStart = int.MinValue;

    private int Find(ref JsonScanner reader)
    {
        for (int i = 0; i < _names.Length; i++)
        {
            if (NestedValues.NameIs(ref reader, _names[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
