using Microsoft.Data.Sqlite;

namespace Forgewatch.Server.Storage;

/// <summary>
/// Copies the SQLite write-ahead log back into the database on a thread and connection of its own, after
/// commits, instead of the committing writer doing it inside its commit (SQLite's automatic checkpoint, turned
/// off on the writer): a batch's answer no longer waits for the pages of earlier batches to be copied. A
/// passive checkpoint never blocks the writer or the readers. But the log only starts over from its beginning
/// when a write begins with every frame copied, which a busy writer never finds: once the log holds more than
/// <see cref="RestartFrames"/>, the writer copies what is left itself and starts it over
/// (<see cref="SqliteStore"/>, <see cref="NeedsRestart"/>).
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>Log frames (pages) beyond which the writer starts the log over: 64 MiB, the size the log is cut
    /// back to then (<see cref="SqliteSchema.WriterCheckpoints"/>).</summary>
    public const int RestartFrames = 16384;

    /// <summary>Least time between two checkpoints: commits in between are copied by the next one (hundreds of
    /// small batches a second would otherwise each start a checkpoint of their own).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private long _logFrames;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public SqliteCheckpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (SqliteCommand timeout = _connection.CreateCommand())
        {
            timeout.CommandText = "PRAGMA busy_timeout = 10000;";
            timeout.ExecuteNonQuery();
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoints" };
        _thread.Start();
    }

    /// <summary>True when the log held more than <see cref="RestartFrames"/> at the last checkpoint.</summary>
    public bool NeedsRestart => Interlocked.Read(ref _logFrames) > RestartFrames;

    /// <summary>The writer started the log over.</summary>
    public void Restarted() => Interlocked.Exchange(ref _logFrames, 0);

    /// <summary>Checkpoints that ran; for tests.</summary>
    public long Runs { get; private set; }

    /// <summary>The last checkpoint's failure, if the last one failed (the next commit tries again).</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>A transaction was committed: a checkpoint follows (one for several commits in a row).</summary>
    public void Committed()
    {
        if (_committed.CurrentCount == 0)
        {
            try
            {
                _committed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by another commit.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _connection.Dispose();
        _committed.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            try
            {
                _committed.Wait(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Interlocked.Exchange(ref _logFrames, Checkpoint());
                LastFailure = null;
            }
            catch (SqliteException e)
            {
                // The log stays as it is, and is copied at the next commit's checkpoint; nothing is lost.
                LastFailure = e;
            }

            Runs++;
            if (_stop.Token.WaitHandle.WaitOne(MinInterval))
            {
                return;
            }
        }
    }

    /// <summary>Runs a passive checkpoint; returns the frames in the log.</summary>
    private long Checkpoint()
    {
        using SqliteCommand checkpoint = _connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using SqliteDataReader result = checkpoint.ExecuteReader();
        return result.Read() ? result.GetInt64(1) : 0;
    }
}
