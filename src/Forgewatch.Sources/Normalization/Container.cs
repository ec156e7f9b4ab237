namespace Forgewatch.Sources.Normalization;

/// <summary>How records were packed in the input; with a record's schema it decides the source shape.</summary>
internal enum Container
{
    JsonArray,
    JsonLines,
    JsonObject,
    /// <summary>Graph paging wrapper <c>{"value":[...]}</c>.</summary>
    ValueWrapper,
    /// <summary>Azure Monitor wrapper <c>{"records":[...]}</c>.</summary>
    RecordsWrapper,
    Csv,
}
