using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// What every playbook is made of: its tenant, period and random stream, and the recorder of its
/// malicious records with the two ways it writes them (mail reads and sign-ins), so that each playbook's
/// file holds its story only.
/// </summary>
internal abstract class AttackPlaybook : IPlaybook
{
    protected AttackPlaybook(string name, PlaybookContext context)
    {
        Name = name;
        Tenant = context.Tenant;
        Clock = context.Clock;
        Random = context.Random;
        Recorder = new AttackRecorder(name, context.Id, context.Tenant.Id);
        Mail = new AttackerMail(context.Tenant, context.Random, Recorder);
        SignIns = new AttackerSignIns(context.Tenant, context.Random, Recorder);
    }

    public string Name { get; }

    protected SimTenant Tenant { get; }

    protected SimulationClock Clock { get; }

    protected SimRandom Random { get; }

    protected AttackRecorder Recorder { get; }

    protected AttackerMail Mail { get; }

    protected AttackerSignIns SignIns { get; }

    public abstract void Run(int day, DayBuffer buffer);

    public abstract TruthAttack Truth();
}
