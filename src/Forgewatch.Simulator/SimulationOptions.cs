namespace Forgewatch.Simulator;

/// <summary>What to simulate (<c>forgewatch simulate</c>'s options).</summary>
public sealed record SimulationOptions
{
    public int Tenants { get; init; } = 1;

    /// <summary>Mailboxes per tenant (people's and shared).</summary>
    public int Mailboxes { get; init; } = 50;

    public int Days { get; init; } = 30;

    public int Seed { get; init; } = 1;

    /// <summary>Playbooks to play in every tenant (each once per tenant).</summary>
    public IReadOnlyList<string> Attacks { get; init; } = [];

    /// <summary><c>jsonl</c>, <c>management-api</c> or <c>purview-csv</c>.</summary>
    public string Shape { get; init; } = "jsonl";

    /// <summary>Write the logs gzip-compressed (<c>jsonl</c> shape only).</summary>
    public bool Gzip { get; init; }

    /// <summary>Mail reads per person per working day, lowest and highest.</summary>
    public int MailLow { get; init; } = 6;

    public int MailHigh { get; init; } = 12;

    /// <summary>End of the period (exclusive, UTC).</summary>
    public DateTime End { get; init; } = Activity.SimulationClock.DefaultEnd;
}
