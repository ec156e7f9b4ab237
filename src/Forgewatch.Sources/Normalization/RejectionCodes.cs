namespace Forgewatch.Sources.Normalization;

/// <summary>Stable reason codes written to <c>rejected.jsonl</c> (documented in docs/formats.md).</summary>
public static class RejectionCodes
{
    // Record level
    public const string InvalidJson = "invalid_json";
    public const string NotAnObject = "not_an_object";
    public const string UnknownSchema = "unknown_schema";
    public const string MissingTime = "missing_time";
    public const string InvalidTime = "invalid_time";
    public const string MissingOperation = "missing_operation";
    public const string UnsupportedCategory = "unsupported_category";
    public const string RecordTooLarge = "record_too_large";
    public const string CsvRow = "invalid_csv_row";

    // File level: the rest of that file was not read
    public const string FileUnreadable = "file_unreadable";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string Truncated = "truncated";
    public const string UnrecognizedFormat = "unrecognized_format";
    public const string CorruptCompression = "corrupt_compression";
}
