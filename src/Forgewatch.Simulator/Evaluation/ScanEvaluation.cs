namespace Forgewatch.Simulator.Evaluation;

/// <summary>A scan's detections scored against a simulation's truth: per playbook, over all attacks, and
/// the false incidents (written as <c>evaluation.json</c> by <see cref="EvaluationJsonWriter"/>).</summary>
public sealed record ScanEvaluation
{
    /// <summary>One entry per playbook that has attacks in the truth, by name (ordinal).</summary>
    public required IReadOnlyList<PlaybookScore> Playbooks { get; init; }

    /// <summary>The same metrics over every attack, whatever its playbook (named <c>overall</c>).</summary>
    public required PlaybookScore Overall { get; init; }

    public required BenignScore Benign { get; init; }
}
