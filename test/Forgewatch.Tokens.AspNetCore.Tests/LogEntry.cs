using Microsoft.Extensions.Logging;

namespace Forgewatch.Tokens.AspNetCore.Tests;

/// <summary>One captured log entry: the rendered message and its structured values by name.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
