using System.Net.Sockets;
using System.Text.RegularExpressions;
using Forgewatch.Server.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Forgewatch.Server.Storage;

/// <summary>
/// Opens the store the settings choose, for <c>serve</c> and for the commands that work on a server's store
/// (<c>tenant</c>, <c>hunt</c>): PostgreSQL when <see cref="ServerOptions.PostgreSQL"/> holds a connection
/// string, otherwise SQLite in the data folder. Failures become one line for the operator that never holds
/// the database password.
/// </summary>
public static partial class ServerStores
{
    /// <summary>The store the settings choose. Throws <see cref="StoreUnavailableException"/> when it cannot
    /// be used: the data folder cannot be written, the connection string is malformed, or the database server
    /// cannot be reached or refuses the login.</summary>
    public static IServerStore Open(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return UsesPostgreSQL(options) ? PostgresStore.Open(options.PostgreSQL!) : SqliteStore.Open(options.Data);
        }
        catch (ArgumentException e) when (UsesPostgreSQL(options) && Describe(options.PostgreSQL!) is not null)
        {
            // A string that parses but does not say enough, such as one without Host.
            throw new StoreUnavailableException(Mask($"Forgewatch:PostgreSQL is not a usable connection string: {e.Message}", options.PostgreSQL!), e);
        }
        catch (Exception e) when (Problem(options, e) is { } problem)
        {
            throw new StoreUnavailableException(problem, e);
        }
    }

    public static bool UsesPostgreSQL(ServerOptions options) => !string.IsNullOrWhiteSpace(options?.PostgreSQL);

    /// <summary>When <paramref name="e"/> is the store failing rather than a bug (the database went away, the
    /// disk is full, ...), one line that says so, with no password in it; otherwise null.</summary>
    public static string? Problem(ServerOptions options, Exception e)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(e);
        if (e is StoreUnavailableException)
        {
            return e.Message;
        }

        if (!UsesPostgreSQL(options))
        {
            return e is IOException or UnauthorizedAccessException or SqliteException ? $"Cannot use the data folder {options.Data}: {e.Message}" : null;
        }

        if (Describe(options.PostgreSQL!) is not { } database)
        {
            // The parser's message can quote a piece of the string, which may be a piece of the password.
            return "Forgewatch:PostgreSQL is not a valid connection string (Npgsql's keywords, e.g. Host=db.example;Database=forgewatch;Username=forgewatch;Password=...).";
        }

        if (e is not (NpgsqlException or TimeoutException or SocketException or IOException))
        {
            return null;
        }

        string reason = e.Message;
        for (Exception? inner = e.InnerException; inner is not null && !reason.Contains(inner.Message, StringComparison.Ordinal); inner = inner.InnerException)
        {
            reason += ": " + inner.Message;
        }

        return Mask($"Cannot use the PostgreSQL database {database}: {reason}", options.PostgreSQL!);
    }

    /// <summary>Which database a connection string names, without its password: <c>NAME on HOST:PORT as
    /// USER</c>; null when the string cannot be parsed.</summary>
    public static string? Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Database ?? builder.Username ?? "(default)"} on {builder.Host ?? "localhost"}:{builder.Port} as {builder.Username ?? "(default user)"}";
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary><paramref name="text"/> on one line, with the connection string's password, and any
    /// <c>Password=</c> value, replaced by <c>***</c>.</summary>
    public static string Mask(string text, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? password = null;
        try
        {
            password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        }
        catch (ArgumentException)
        {
            // Nothing to take out but what the pattern finds.
        }

        if (!string.IsNullOrEmpty(password))
        {
            text = text.Replace(password, "***", StringComparison.Ordinal);
        }

        return Whitespace().Replace(PasswordSetting().Replace(text, "$1=***"), " ").Trim();
    }

    [GeneratedRegex(@"\b(password|pwd)\s*=\s*(""[^""]*""|'[^']*'|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordSetting();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>The store cannot be used; the message is one line for the operator, without secrets.</summary>
public sealed class StoreUnavailableException : InvalidOperationException
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
