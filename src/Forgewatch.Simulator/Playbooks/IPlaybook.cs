using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// One attack in one tenant: planned once (victims, days, addresses, drawn from the tenant's randomness),
/// then played day by day after that day's benign activity, recording what it did for the truth file.
/// </summary>
internal interface IPlaybook
{
    /// <summary>The playbook's name, as <c>--attack</c> takes it.</summary>
    string Name { get; }

    /// <summary>Adds the attack's records of <paramref name="day"/>, if any.</summary>
    void Run(int day, DayBuffer buffer);

    /// <summary>What the attack did (after the last day).</summary>
    TruthAttack Truth();
}
