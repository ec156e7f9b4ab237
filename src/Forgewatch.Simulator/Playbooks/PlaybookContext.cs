using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>What a playbook is made with: its tenant and period, its own randomness, the tenant's attacker
/// addresses and victims (shared by the tenant's playbooks so no two attacks use one address or choose one
/// victim), and the attack's id.</summary>
internal sealed record PlaybookContext(SimTenant Tenant, SimulationClock Clock, SimRandom Random, AttackerAddresses Addresses, VictimPool Victims, string Id);
