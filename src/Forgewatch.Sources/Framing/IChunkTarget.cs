namespace Forgewatch.Sources.Framing;

/// <summary>Where a framer hands its chunks; blocks when the workers are behind (backpressure).</summary>
internal interface IChunkTarget
{
    void Post(RecordChunk chunk, CancellationToken cancellationToken);
}
