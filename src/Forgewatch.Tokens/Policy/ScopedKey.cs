using Forgewatch.Tokens.Keys;

namespace Forgewatch.Tokens.Policy;

/// <summary>A key with the scope it signs within.</summary>
public sealed record ScopedKey(SigningKey Key, KeyScope Scope);
