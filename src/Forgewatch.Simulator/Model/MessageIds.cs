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
        int at = 0;
        Append(text, ref at, "<"u8);
        Append(text, ref at, mailbox.Server);
        Hex(text, ref at, bits, 16);
        Hex(text, ref at, (ushort)(bits >> 7), 4);
        Append(text, ref at, "@"u8);
        Append(text, ref at, mailbox.Server);
        Append(text, ref at, ".namprd09.prod.outlook.com>"u8);
        return at;
    }

    /// <summary>An Exchange item id as UTF-8 into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int ItemId(Mailbox mailbox, long message, Span<byte> text)
    {
        ulong a = Mix(mailbox.IdSeed + (ulong)message + 0x1000);
        ulong b = Mix(a);
        ulong c = Mix(b);
        int at = 0;
        Append(text, ref at, "RgAAAAD"u8);
        Hex(text, ref at, a, 16);
        Hex(text, ref at, b, 16);
        Hex(text, ref at, c, 16);
        return at;
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

    private static void Append(Span<byte> text, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(text[at..]);
        at += bytes.Length;
    }

    /// <summary>Servers' names are ASCII (<see cref="Mailbox.Server"/>).</summary>
    private static void Append(Span<byte> text, ref int at, string ascii)
    {
        System.Text.Ascii.FromUtf16(ascii, text[at..], out int written);
        at += written;
    }

    /// <summary>The low <paramref name="digits"/> hexadecimal digits of <paramref name="value"/>, upper case, as <c>X16</c> or <c>X4</c> gives them.</summary>
    private static void Hex(Span<byte> text, ref int at, ulong value, int digits)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            text[at + i] = "0123456789ABCDEF"u8[(int)(value & 0xF)];
            value >>= 4;
        }

        at += digits;
    }
}
