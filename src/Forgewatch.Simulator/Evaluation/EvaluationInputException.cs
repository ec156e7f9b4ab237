namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// An input of <c>forgewatch evaluate</c> (the truth file or a scan output) is missing, unreadable or not
/// in its documented format. The message names the file and, where there is one, the line, so the command
/// can print it as it is and exit with a usage or I/O error instead of a stack trace.
/// </summary>
public sealed class EvaluationInputException : Exception
{
    public EvaluationInputException()
    {
    }

    public EvaluationInputException(string message)
        : base(message)
    {
    }

    public EvaluationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error in <paramref name="path"/>, at 1-based <paramref name="line"/> when known.</summary>
    public EvaluationInputException(string path, long? line, string reason, Exception? innerException = null)
        : base(line is { } n ? $"{path}, line {n}: {reason}" : $"{path}: {reason}", innerException)
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file at fault, as given.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line at fault, when the fault is in one line.</summary>
    public long? Line { get; }
}
