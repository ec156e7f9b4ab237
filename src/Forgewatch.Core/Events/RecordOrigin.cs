namespace Forgewatch.Core.Events;

/// <summary>Where a record was read: the file, the shape it was in, and its position.</summary>
/// <param name="Source">The file (shared by every record read from it).</param>
/// <param name="Shape">The export shape the record arrived in.</param>
/// <param name="Line">1-based line for line-oriented inputs (JSON Lines, CSV), else 0.</param>
/// <param name="ByteOffset">Offset of the record's first byte in the (decompressed) content.</param>
public readonly record struct RecordOrigin(string Source, SourceShape Shape, long Line, long ByteOffset);
