namespace Forgewatch.Server.Polling;

/// <summary>One source of one tenant that the server polls: each <see cref="PollAsync"/> fetches what is new
/// since its checkpoint, commits it and moves the checkpoint, and may be cancelled at any point (a restart
/// goes on from the checkpoint).</summary>
internal interface IPollSource
{
    string Tenant { get; }

    /// <summary><see cref="PollerOptions.ManagementActivity"/> or <see cref="PollerOptions.GraphSignIns"/>.</summary>
    string Name { get; }

    TimeSpan Interval { get; }

    /// <summary>Polls once. Throws <see cref="PollFailedException"/> when it cannot go on; what was committed
    /// before stays committed, with its checkpoint.</summary>
    Task<PollResult> PollAsync(CancellationToken cancellationToken);
}

/// <summary>What one poll did: content blobs or pages read, records in them, records new to the store, and
/// parts (content types) that failed and were left for the next poll.</summary>
internal readonly record struct PollResult(int Items, int Records, int Stored, int Failed = 0)
{
    public static PollResult operator +(PollResult a, PollResult b) => new(a.Items + b.Items, a.Records + b.Records, a.Stored + b.Stored, a.Failed + b.Failed);
}
