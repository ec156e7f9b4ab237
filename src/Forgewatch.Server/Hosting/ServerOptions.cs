namespace Forgewatch.Server.Hosting;

/// <summary>
/// Settings of <c>forgewatch serve</c>, from the configuration section <c>Forgewatch</c> (appsettings.json,
/// environment variables such as <c>Forgewatch__Data</c>, or flags). Documented in docs/serve.md.
/// </summary>
public sealed record ServerOptions
{
    public const string Section = "Forgewatch";

    public const string DefaultDataDirectory = "forgewatch-data";

    /// <summary>The data folder: the SQLite database and the <c>incoming</c> folder for batches being read.</summary>
    public string Data { get; init; } = DefaultDataDirectory;

    /// <summary>A PostgreSQL connection string (Npgsql's keywords): when set, the store is that database
    /// instead of SQLite in the data folder, which still holds the incoming batches.</summary>
    public string? PostgreSQL { get; init; }

    /// <summary>Largest request body taken by the events endpoint (compressed size for gzip); larger is 413.</summary>
    public long MaxBatchBytes { get; init; } = 64L << 20;

    /// <summary>Most records a batch may hold once decompressed; more is 413.</summary>
    public int MaxBatchRecords { get; init; } = Ingestion.BatchReader.DefaultMaxRecords;

    /// <summary>Batches read and stored at once.</summary>
    public int ConcurrentBatches { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Batches that may wait for a turn; beyond them the endpoint answers 429. A waiting batch's body is
    /// not read until its turn, so waiting costs little memory; a deep queue absorbs the bursts of many tenants'
    /// small batches, each of which would otherwise come back later, after its records' time has passed.</summary>
    public int QueuedBatches { get; init; } = 64;

    /// <summary>Seconds the 429 answer's <c>Retry-After</c> asks a sender to wait.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Seconds between looks at the outbox when nothing signals it (new notifications are sent at once).</summary>
    public int NotificationPollSeconds { get; init; } = 5;

    /// <summary>Longest wait between two attempts to deliver a notification; waits double from 1 s up to it.</summary>
    public int NotificationMaxBackoffSeconds { get; init; } = 60;

    /// <summary>Seconds an incident must stand, through the investigations that follow new records, before it
    /// is announced: records arrive late and out of order, and what half the data suggests the other half
    /// may explain away.</summary>
    public int NotificationSettleSeconds { get; init; } = 60;

    /// <summary>Seconds between two saves of a tenant's detection snapshot (also saved when the server stops):
    /// a start replays only the records committed after it.</summary>
    public int SnapshotSeconds { get; init; } = 60;

    /// <summary>Least minutes of event time between two in-memory checkpoints of a tenant's detections: a record
    /// that arrives later than records of both logs after it replays from the checkpoint before it.</summary>
    public int CheckpointMinutes { get; init; } = 60;

    /// <summary>Least records observed between two checkpoints (each costs as much as the tenant's detection
    /// state is large).</summary>
    public int CheckpointEvents { get; init; } = 50_000;

    /// <summary>Checkpoints kept per tenant; a record older than the oldest replays the tenant's whole history.</summary>
    public int MaxCheckpoints { get; init; } = 8;

    /// <summary>Seconds behind the newest records of both logs that records may still arrive: an incident is
    /// announced at once when one of its alerts is older than that, else once it has stood for
    /// <see cref="NotificationSettleSeconds"/>. 0 (the default) announces as soon as both logs have passed the
    /// alert; raise it for sources that deliver out of order within one log.</summary>
    public int AllowedLatenessSeconds { get; init; }

    /// <summary>Least seconds between two reads of a tenant's whole history for the actor keys of new incidents;
    /// meanwhile a new incident's exposure holds what its actor read among the last 20,000 mail accesses.</summary>
    public int ExposureRescanSeconds { get; init; } = 30;

    /// <summary>Least seconds between two runs of the copy of a tenant's detections that finishes the records
    /// waiting for the other log (it copies the whole detection state); in between, alerts the live detections
    /// raise are served and announced at once.</summary>
    public int ProvisionalSeconds { get; init; } = 5;

    /// <summary>Seconds a new tenant's first records wait for its other log (the audit log or the sign-ins) when
    /// only one has come: the detections then observe both in time order once, instead of observing the first
    /// alone and again from the start when the other's older records come. Past the wait (or 500,000 waiting
    /// records) they go on with the one log; 0 does not wait. Only the cost depends on it, not the incidents.</summary>
    public int NewPipeWaitSeconds { get; init; } = 30;

    /// <summary>The Linux nice value of the thread the detections run on, above the request threads' (0 to 19; 0:
    /// the same priority). When the cores are busy, batches are stored and answered first and the detections
    /// catch up as soon as they are free; the detection lag metric shows how far behind they are.</summary>
    public int DetectionNice { get; init; } = 10;

    /// <summary>Bound of the garbage-collected heap of <c>forgewatch serve</c>, in MiB (0, the default: none).
    /// The collector lets a server that takes tens of thousands of records a second grow well past what it
    /// holds live; a bound makes it collect sooner. The detections' state must fit under it: past it, batches
    /// and runs fail for want of memory.</summary>
    public int HeapLimitMiB { get; init; }

    /// <summary>The operator's key for the tenant API (<c>/api/v1/tenants</c>); the API is closed while it is
    /// unset. At least 24 characters.</summary>
    public string? AdminKey { get; init; }

    /// <summary>The mail server for admins' emails; email is off until <c>Smtp:Host</c> is set.</summary>
    public Notifications.SmtpOptions Smtp { get; init; } = new();

    /// <summary>Seconds a webhook receiver has to answer.</summary>
    public int WebhookTimeoutSeconds { get; init; } = 10;

    /// <summary>Pull ingestion: the Entra tenants whose logs the server fetches itself (docs/serve.md, "Pull
    /// ingestion"); none by default.</summary>
    public IReadOnlyList<Polling.PollerOptions> Pollers { get; init; } = [];

    /// <summary>The problem with these settings, or null.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Data) ? "Forgewatch:Data (the data folder) is empty."
        : MaxBatchBytes < 1024 ? "Forgewatch:MaxBatchBytes must be at least 1024."
        : MaxBatchRecords < 1 ? "Forgewatch:MaxBatchRecords must be at least 1."
        : ConcurrentBatches < 1 ? "Forgewatch:ConcurrentBatches must be at least 1."
        : QueuedBatches < 0 ? "Forgewatch:QueuedBatches must not be negative."
        : RetryAfterSeconds < 1 ? "Forgewatch:RetryAfterSeconds must be at least 1."
        : NotificationPollSeconds < 1 ? "Forgewatch:NotificationPollSeconds must be at least 1."
        : NotificationMaxBackoffSeconds < 1 ? "Forgewatch:NotificationMaxBackoffSeconds must be at least 1."
        : NotificationSettleSeconds < 0 ? "Forgewatch:NotificationSettleSeconds must not be negative."
        : SnapshotSeconds < 1 ? "Forgewatch:SnapshotSeconds must be at least 1."
        : CheckpointMinutes < 1 ? "Forgewatch:CheckpointMinutes must be at least 1."
        : MaxCheckpoints < 1 ? "Forgewatch:MaxCheckpoints must be at least 1."
        : CheckpointEvents < 0 ? "Forgewatch:CheckpointEvents must not be negative."
        : HeapLimitMiB is < 0 or (> 0 and < 128) ? "Forgewatch:HeapLimitMiB must be 0 (no limit) or at least 128."
        : NewPipeWaitSeconds < 0 ? "Forgewatch:NewPipeWaitSeconds must not be negative."
        : ProvisionalSeconds < 0 ? "Forgewatch:ProvisionalSeconds must not be negative."
        : DetectionNice is < 0 or > 19 ? "Forgewatch:DetectionNice must be from 0 to 19."
        : ExposureRescanSeconds < 0 ? "Forgewatch:ExposureRescanSeconds must not be negative."
        : AllowedLatenessSeconds < 0 ? "Forgewatch:AllowedLatenessSeconds must not be negative."
        : WebhookTimeoutSeconds < 1 ? "Forgewatch:WebhookTimeoutSeconds must be at least 1."
        : Smtp.Problem() is { } smtp ? smtp
        : AdminKey is { Length: > 0 and < 24 } ? "Forgewatch:AdminKey must be at least 24 characters."
        : Polling.PollerOptions.Problem(Pollers) is { } polling ? polling
        : null;
}
