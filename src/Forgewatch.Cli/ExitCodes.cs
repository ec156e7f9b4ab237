namespace Forgewatch.Cli;

/// <summary>The command's exit codes; scripts depend on them (README, docs/formats.md).</summary>
internal static class ExitCodes
{
    /// <summary>The scan ran (whatever it found, rejections included), and no incident reached <c>--fail-on</c>.</summary>
    public const int Ok = 0;

    /// <summary>The scan ran and found an incident at or above the <c>--fail-on</c> severity.</summary>
    public const int IncidentFound = 1;

    /// <summary>Bad command line, a path that does not exist, or an input or output that could not be
    /// read or written.</summary>
    public const int UsageOrIoError = 2;

    /// <summary><c>forgewatch token verify</c>: the token is invalid (malformed, badly signed, expired...);
    /// <c>forgewatch token scan</c>: at least one token found is invalid and none is forged (docs/token-cli.md).</summary>
    public const int TokenInvalid = 1;

    /// <summary><c>forgewatch token verify</c>: the token is forged (a good signature by a key with no right to
    /// sign what it claims); <c>forgewatch token scan</c>: at least one token found is forged.</summary>
    public const int TokenForged = 3;
}
