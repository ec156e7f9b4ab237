using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Reads UAL <c>Folders</c>: <c>[{"Path": .., "FolderItems": [{"InternetMessageId": ..}, ..]}, ..]</c>.
/// The message ids of all folders of a record go into one UTF-8 buffer (see <see cref="Utf8StringList"/>),
/// unescaped, never decoded here: they are most of a MailItemsAccessed record and are rarely shown.
/// Reuses its scratch space across records: one per worker, not thread-safe.
/// </summary>
internal sealed class FolderReader(Utf8StringPool pool)
{
    private const int PathMember = 0, ItemsMember = 1, MessageIdMember = 0;
    private readonly MemberOrder _folderMembers = new("Path", "FolderItems", "Id");
    private readonly MemberOrder _itemMembers = new("InternetMessageId", "SizeInBytes", "Id", "ImmutableId");
    private readonly List<(string? Path, int First, int Count)> _folders = [];
    private byte[] _ids = new byte[4096];
    private int _idBytes;
    private int[] _bounds = new int[64];
    private int _idCount;

    private static readonly int[] NoBounds = [0];

    public AccessedFolder[] Read(ReadOnlySpan<byte> json)
    {
        var reader = new JsonScanner(json);
        reader.Read();
        return Read(ref reader);
    }

    /// <summary>Reads the array the reader is on (throws <see cref="JsonException"/> if it is not one)
    /// and leaves the reader on its end.</summary>
    public AccessedFolder[] Read(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Folders should be a JSON array, not {reader.TokenType}.");
        }

        _folders.Clear();
        _idBytes = 0;
        _idCount = 0;
        _bounds[0] = 0;
        while (NestedValues.NextObject(ref reader))
        {
            string? path = null;
            int first = _idCount;
            int member = MemberOrder.AtStart;
            while (_folderMembers.Next(ref reader, ref member, out int which))
            {
                if (which == PathMember)
                {
                    path = NestedValues.Scalar(ref reader, pool);
                }
                else if (which == ItemsMember)
                {
                    ReadItems(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            _folders.Add((path, first, _idCount - first));
        }

        if (_folders.Count == 0)
        {
            return [];
        }

        // One buffer and one bounds array for the whole record, shared by its folders' lists; none for a
        // record without messages (a Sync).
        byte[] utf8 = _idCount == 0 ? [] : _ids.AsSpan(0, _idBytes).ToArray();
        int[] bounds = _idCount == 0 ? NoBounds : _bounds.AsSpan(0, _idCount + 1).ToArray();
        var folders = new AccessedFolder[_folders.Count];
        for (int i = 0; i < folders.Length; i++)
        {
            (string? path, int first, int count) = _folders[i];
            folders[i] = new AccessedFolder(path, count == 0 ? Utf8StringList.Empty : new Utf8StringList(utf8, bounds, first, count));
        }

        return folders;
    }

    private void ReadItems(ref JsonScanner reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (NestedValues.NextObject(ref reader))
        {
            int member = MemberOrder.AtStart;
            while (_itemMembers.Next(ref reader, ref member, out int which))
            {
                if (which == MessageIdMember && reader.TokenType == JsonTokenType.String)
                {
                    AddId(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private void AddId(ref JsonScanner reader)
    {
        // Unescaping never makes a string longer than its raw text.
        int room = reader.ValueSpan.Length;
        if (_ids.Length - _idBytes < room)
        {
            Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idBytes + room));
        }

        if (_idCount + 2 > _bounds.Length)
        {
            Array.Resize(ref _bounds, _bounds.Length * 2);
        }

        _idBytes += reader.CopyString(_ids.AsSpan(_idBytes));
        _bounds[++_idCount] = _idBytes;
    }
}
