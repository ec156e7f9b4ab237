namespace Forgewatch.Simulator.Playbooks;

/// <summary>The attack playbooks <c>--attack</c> can name.</summary>
internal static class PlaybookCatalog
{
    private static readonly Dictionary<string, Func<PlaybookContext, IPlaybook>> Factories = new(StringComparer.Ordinal)
    {
        [ForgedToken.PlaybookName] = context => new ForgedToken(context),
        [TokenReplay.PlaybookName] = context => new TokenReplay(context),
        [BecInboxRule.PlaybookName] = context => new BecInboxRule(context),
        [ConsentPhish.PlaybookName] = context => new ConsentPhish(context),
        [AppImpersonation.PlaybookName] = context => new AppImpersonation(context),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool Exists(string name) => Factories.ContainsKey(name);

    public static IPlaybook Create(string name, PlaybookContext context) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(context)
            : throw new ArgumentException($"Unknown playbook '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
}
