using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>What a playbook is made with: its tenant and period, its own randomness, the tenant's attacker
/// addresses (shared by the tenant's playbooks so no two attacks use one), and the attack's id.</summary>
internal sealed record PlaybookContext(SimTenant Tenant, SimulationClock Clock, SimRandom Random, AttackerAddresses Addresses, string Id);
