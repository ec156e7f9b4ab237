using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Pipeline;

/// <summary>Events and rejections from one chunk of one file, in file order within the batch.</summary>
public sealed record ReadBatch(string Source, IReadOnlyList<AuditEvent> Events, IReadOnlyList<Rejection> Rejections);
