using System.Text;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>Opens the evaluation's input files, turning the ways opening fails into one clear
/// <see cref="EvaluationInputException"/> naming the file.</summary>
internal static class InputFiles
{
    public static StreamReader OpenText(string path)
    {
        if (Directory.Exists(path))
        {
            // Opening a folder fails with "access denied", which sends people looking at permissions.
            throw new EvaluationInputException(path, null, "is a folder, not a file.");
        }

        try
        {
            // Invalid UTF-8 is replaced, not fatal: a damaged byte in one message id must not stop scoring.
            return new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EvaluationInputException(path, null, "no such file.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new EvaluationInputException(path, null, "cannot be read: " + e.Message, e);
        }
    }

    /// <summary>Runs <paramref name="read"/>, reporting an I/O failure in the middle of the file as a fault of it.</summary>
    public static T Read<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EvaluationInputException(path, null, "cannot be read: " + e.Message, e);
        }
    }
}
