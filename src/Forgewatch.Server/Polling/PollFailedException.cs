namespace Forgewatch.Server.Polling;

/// <summary>A poll could not go on: retries were used up, an API refused a request, or an answer could not be
/// read. The message is a sentence for the log (no secret, server text escaped); the source tries again at
/// its next interval from its last checkpoint.</summary>
public class PollFailedException : Exception
{
    public PollFailedException()
    {
    }

    public PollFailedException(string message)
        : base(message)
    {
    }

    public PollFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The token endpoint refused the client credentials (an <c>AADSTS</c> error, usually a wrong or expired
/// secret, or a missing consent): nothing of the tenant can be polled until that is fixed.</summary>
public sealed class TokenRefusedException : PollFailedException
{
    public TokenRefusedException()
    {
    }

    public TokenRefusedException(string message)
        : base(message)
    {
    }

    public TokenRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
