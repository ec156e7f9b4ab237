namespace Forgewatch.Tokens.Sources;

/// <summary>Keys could not be had from a file or URL: the message says which and why, in a sentence.</summary>
public sealed class KeySourceException : Exception
{
    public KeySourceException()
    {
    }

    public KeySourceException(string message)
        : base(message)
    {
    }

    public KeySourceException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
