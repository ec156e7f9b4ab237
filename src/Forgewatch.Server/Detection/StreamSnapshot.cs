using System.Security.Cryptography;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The bytes of a <see cref="Storage.DetectionSnapshot"/>: a format version, the live engine's snapshot, the
/// coverage, the log pipes and the domain answers, then a checksum of all of it. A snapshot that does not read
/// back whole is not used: the stream observes the stored history again instead.
/// </summary>
public static class StreamSnapshot
{
    private const int Version = 1;
    private const int ChecksumLength = 32;

    public sealed record State(byte[] Engine, CoverageMap Coverage, LogPipes Pipes, TenantResolution Resolution);

    public static byte[] Write(byte[] engine, CoverageMap coverage, LogPipes pipes, TenantResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(coverage);
        ArgumentNullException.ThrowIfNull(pipes);
        ArgumentNullException.ThrowIfNull(resolution);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(engine.Length);
            writer.Write(engine);
            byte[] coverageBytes = CoverageSnapshot.Write(coverage);
            writer.Write(coverageBytes.Length);
            writer.Write(coverageBytes);
            pipes.Write(writer);
            resolution.Write(writer);
        }

        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer.ToArray();
    }

    /// <summary>The state written by <see cref="Write"/>, or null when the bytes are not a whole snapshot of
    /// this version.</summary>
    public static State? Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 4 + ChecksumLength
            || !SHA256.HashData(data.AsSpan(0, data.Length - ChecksumLength)).AsSpan().SequenceEqual(data.AsSpan(data.Length - ChecksumLength)))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, 0, data.Length - ChecksumLength, writable: false));
            if (reader.ReadInt32() != Version)
            {
                return null;
            }

            byte[] engine = reader.ReadBytes(reader.ReadInt32());
            CoverageMap coverage = CoverageSnapshot.Read(reader.ReadBytes(reader.ReadInt32()));
            LogPipes pipes = LogPipes.Read(reader);
            TenantResolution resolution = TenantResolution.Read(reader);
            return new State(engine, coverage, pipes, resolution);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or Core.Engine.Snapshots.SnapshotException or ArgumentException or IOException)
        {
            return null;
        }
    }
}
