namespace Forgewatch.Simulator.Model;

/// <summary>
/// InternetMessageIds and Exchange item ids of simulated messages, derived from the mailbox and the
/// message's number by a fixed mixing function (not a cryptographic hash: the ids only need to be stable
/// and distinct, and this is the simulator's hottest path): the same message always has the same ids, and
/// no list of them is kept.
/// </summary>
internal static class MessageIds
{
    /// <summary>Room enough for either id (servers are 13 characters).</summary>
    public const int MaxLength = 128;

    /// <summary>As Exchange Online writes them: <c>&lt;SA1PR09MB8012A1B2...@SA1PR09MB8012.namprd09.prod.outlook.com&gt;</c>.</summary>
    public static string InternetMessageId(Mailbox mailbox, long message)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return System.Text.Encoding.ASCII.GetString(text[..InternetMessageId(mailbox, message, text)]);
    }

    /// <summary>The same as UTF-8 into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int InternetMessageId(Mailbox mailbox, long message, Span<byte> text)
    {
        ulong bits = Mix(mailbox.IdSeed ^ (ulong)message);
        System.Text.Unicode.Utf8.TryWrite(text, $"<{mailbox.Server}{bits:X16}{(ushort)(bits >> 7):X4}@{mailbox.Server}.namprd09.prod.outlook.com>", out int written);
        return written;
    }

    /// <summary>An Exchange item id as UTF-8 into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int ItemId(Mailbox mailbox, long message, Span<byte> text)
    {
        ulong a = Mix(mailbox.IdSeed + (ulong)message + 0x1000);
        ulong b = Mix(a);
        ulong c = Mix(b);
        System.Text.Unicode.Utf8.TryWrite(text, $"RgAAAAD{a:X16}{b:X16}{c:X16}", out int written);
        return written;
    }

    /// <summary>A message's size in bytes, stable for the message.</summary>
    public static int Size(Mailbox mailbox, long message) => 4_000 + (int)(Mix(mailbox.IdSeed - (ulong)message) % 180_000);

    /// <summary>SplitMix64's finalizer: every input bit changes about half the output bits.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
