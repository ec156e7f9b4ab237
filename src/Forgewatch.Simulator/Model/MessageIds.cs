using System.Security.Cryptography;
using System.Text;

namespace Forgewatch.Simulator.Model;

/// <summary>
/// InternetMessageIds and Exchange item ids of simulated messages, derived from the mailbox and the
/// message's number: the same message always has the same ids, and no list of them is kept.
/// </summary>
internal static class MessageIds
{
    /// <summary>As Exchange Online writes them: <c>&lt;SA1PR09MB8012A1B2...@SA1PR09MB8012.namprd09.prod.outlook.com&gt;</c>.</summary>
    public static string InternetMessageId(Mailbox mailbox, long message)
    {
        string hex = Hash(mailbox.Guid, message, 10);
        return $"<{mailbox.Server}{hex}@{mailbox.Server}.namprd09.prod.outlook.com>";
    }

    public static string ItemId(Mailbox mailbox, long message) => "RgAAAAD" + Hash(mailbox.Guid, ~message, 24);

    /// <summary>A message's size in bytes, stable for the message.</summary>
    public static int Size(Mailbox mailbox, long message) => 4_000 + (int)(Convert.ToUInt32(Hash(mailbox.Guid, message ^ 0x5A5A, 4), 16) % 180_000);

    private static string Hash(string mailbox, long message, int bytes)
    {
        Span<byte> input = stackalloc byte[64];
        int length = Encoding.ASCII.GetBytes(mailbox, input);
        BitConverter.TryWriteBytes(input[length..], message);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input[..(length + 8)], digest);
        return Convert.ToHexString(digest[..bytes]);
    }
}
