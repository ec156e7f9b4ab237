using System.Text.Json;
using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Turns one JSON record of any supported schema into an <see cref="AuditEvent"/>, or says why it cannot.
/// Schemas are told apart by their members, not by the file: a UAL record has <c>CreationTime</c>, a
/// Sentinel <c>OfficeActivity</c> row has <c>TimeGenerated</c>/<c>OfficeWorkload</c>, a sign-in has
/// <c>createdDateTime</c>, and a diagnostic record wraps a sign-in in <c>properties</c>. One instance per
/// worker thread.
/// </summary>
internal sealed class RecordNormalizer
{
    private readonly RecordFields _fields;
    private readonly UalRecordBuilder _ual;
    private readonly SignInRecordBuilder _signIns;

    public RecordNormalizer(Utf8StringPool pool)
    {
        _fields = new RecordFields(pool);
        var addresses = new ClientAddressReader();
        _ual = new UalRecordBuilder(addresses, pool);
        _signIns = new SignInRecordBuilder(addresses, pool);
    }

    /// <summary>How long the last record normalized was, when it was read as an object (-1 otherwise). In
    /// one-line mode this is how the caller learns where the record ended.</summary>
    public int LastLength => _fields.Length;

    /// <summary>
    /// Normalizes the record in <paramref name="buffer"/>[start..start+length]. With
    /// <paramref name="oneLine"/>, the record is the JSON object that starts there and must end on its line
    /// (JSON Lines); <paramref name="length"/> is then how far the data goes, and <see cref="LastLength"/>
    /// tells where the record ended.
    /// </summary>
    public NormalizeResult Normalize(byte[] buffer, int start, int length, Container container, string source, long line, long offset, bool oneLine = false)
    {
        try
        {
            if (!_fields.Load(buffer, start, length, oneLine))
            {
                return NormalizeResult.Reject(RejectionCodes.NotAnObject, "The record is not a JSON object.");
            }

            if (oneLine)
            {
                length = _fields.Length;
            }

            var origin = new RecordOrigin(source, default, line, offset);
            if (_fields.Has(Field.Properties) && (_fields.Has(Field.Category) || _fields.Has(Field.OperationName)))
            {
                return _signIns.BuildFromDiagnosticRecord(_fields, buffer, start, length, origin);
            }

            if (_fields.Has(Field.CreationTime))
            {
                return _ual.Build(_fields, buffer, start, length, origin with { Shape = UalShape(container) });
            }

            if (_fields.Has(Field.TimeGenerated) || _fields.Has(Field.OfficeWorkload) || _fields.Has(Field.OfficeId))
            {
                SourceShape shape = container == Container.Csv ? SourceShape.SentinelOfficeActivityCsv : SourceShape.SentinelOfficeActivityJson;
                return _ual.Build(_fields, buffer, start, length, origin with { Shape = shape });
            }

            if (_fields.Has(Field.CreatedDateTime))
            {
                SourceShape shape = container == Container.ValueWrapper ? SourceShape.SignInGraphJson : SourceShape.SignInJsonLines;
                return _signIns.Build(_fields, null, buffer, start, length, origin with { Shape = shape });
            }

            return NormalizeResult.Reject(
                RejectionCodes.UnknownSchema,
                "Neither a unified audit log record (no CreationTime), a Sentinel OfficeActivity row (no TimeGenerated), nor an Entra sign-in (no createdDateTime).");
        }
        catch (NotUtf8Exception e)
        {
            return NormalizeResult.Reject(RejectionCodes.InvalidUtf8, JsonError(e));
        }
        catch (JsonException e)
        {
            return NormalizeResult.Reject(RejectionCodes.InvalidJson, JsonError(e));
        }
        catch (InvalidOperationException e)
        {
            // Decoding a string reports an escaped lone surrogate (and, from Utf8JsonReader, invalid UTF-8) this way.
            return NormalizeResult.Reject(RejectionCodes.InvalidJson, Bounded(e.Message));
        }
    }

    private static SourceShape UalShape(Container container) => container switch
    {
        Container.JsonLines => SourceShape.UalJsonLines,
        Container.JsonObject => SourceShape.UalJsonObject,
        Container.Csv => SourceShape.UalCsv,
        _ => SourceShape.UalJsonArray,
    };

    /// <summary>The reader's message without its position suffix (relative to the record, so it would
    /// mislead next to the file position), with the record's byte position instead.</summary>
    private static string JsonError(JsonException e)
    {
        string message = e.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix > 0)
        {
            message = message[..suffix];
        }

        message = message.TrimEnd('.', ' ');
        return Bounded(e.BytePositionInLine is long at ? $"{message} (at byte {at} of the record)." : message + ".");
    }

    internal static string Bounded(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");
}
