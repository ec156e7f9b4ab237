namespace Forgewatch.Sources.Input;

/// <summary>Expands the paths a user gave into the files to read.</summary>
public static class InputFiles
{
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        // Hidden and system files (.DS_Store, editor swap files) are not exports; linked folders could loop.
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Files found in folders that are documentation or code kept beside exports, never exports
    /// themselves. A file named directly is read whatever its name.</summary>
    private static readonly string[] NotLogExtensions = [".md", ".py", ".sh", ".ps1", ".cs"];

    /// <summary>Files Forgewatch itself writes beside logs: <c>forgewatch simulate</c>'s ground truth.</summary>
    private static readonly string[] NotLogNames = ["truth.json"];

    /// <summary>
    /// Files named directly are taken as they are; folders are read recursively, skipping hidden files
    /// (names starting with a dot), documentation and scripts (<c>.md</c>, <c>.py</c>, <c>.sh</c>,
    /// <c>.ps1</c>, <c>.cs</c>), a simulation's <c>truth.json</c>, and linked folders. Each file is listed once, in ordinal path order
    /// within a folder. Paths that do not exist are returned in <paramref name="missing"/>.
    /// </summary>
    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> paths, out IReadOnlyList<string> missing)
    {
        var files = new List<InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var notFound = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                Add(new FileInfo(path));
            }
            else if (Directory.Exists(path))
            {
                var found = new DirectoryInfo(path).EnumerateFiles("*", Recursive)
                    .Where(f => !f.Name.StartsWith('.')
                        && !NotLogExtensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase)
                        && !NotLogNames.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
                    .OrderBy(f => f.FullName, StringComparer.Ordinal);
                foreach (FileInfo file in found)
                {
                    Add(file);
                }
            }
            else
            {
                notFound.Add(path);
            }
        }

        missing = notFound;
        return files;

        void Add(FileInfo file)
        {
            if (seen.Add(file.FullName))
            {
                files.Add(new InputFile(file.FullName, file.Length));
            }
        }
    }
}
