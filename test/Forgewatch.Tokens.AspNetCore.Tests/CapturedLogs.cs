using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Tokens.AspNetCore.Tests;

/// <summary>A logger provider that keeps every entry, so a test can read what the server logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<LogEntry> In(string category) => Entries.Where(e => e.Category == category).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach ((string name, object? value) in pairs)
                {
                    values[name] = value;
                }
            }

            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), values));
        }
    }
}
