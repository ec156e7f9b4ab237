using System.Globalization;
using System.Net;
using System.Text;

namespace Forgewatch.Sources.Tests.Conformance;

/// <summary>
/// The outcome of comparing our events with a peer's documents: how many comparisons were made per field,
/// every disagreement (record, field, ours, theirs), and every comparison left out with its reason. A test
/// asserts once at the end so that one run lists every disagreement, not just the first.
/// </summary>
internal sealed class ComparisonLog
{
    private readonly SortedDictionary<string, int> _compared = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _bothAbsent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _excluded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exclusionsUsed = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly List<string> _skipped = [];

    public IReadOnlyList<string> Problems => _problems;

    public IReadOnlyDictionary<string, int> Compared => _compared;

    public IReadOnlyList<string> Skipped => _skipped;

    public void Equal(string record, string field, string? ours, string? theirs, StringComparison comparison = StringComparison.Ordinal) =>
        Check(record, field, string.Equals(ours, theirs, comparison), ours, theirs);

    public void Equal(string record, string field, int? ours, string? theirs) =>
        Equal(record, field, ours?.ToString(CultureInfo.InvariantCulture), theirs);

    public void Equal(string record, string field, bool? ours, string? theirs) =>
        Equal(record, field, ours is { } b ? (b ? "true" : "false") : null, theirs);

    /// <summary>Addresses are compared as addresses, so that one IPv6 address written two ways agrees.</summary>
    public void SameAddress(string record, string field, IPAddress? ours, string? theirs)
    {
        bool agree = theirs is null
            ? ours is null
            : ours is not null && IPAddress.TryParse(theirs, out IPAddress? parsed) && ours.Equals(parsed);
        Check(record, field, agree, ours?.ToString(), theirs);
    }

    /// <summary>Leaves <paramref name="field"/> out of every comparison from now on, for the reason given
    /// (reported per record, and an exclusion that never applied is a problem: see <see cref="CheckExclusionsUsed"/>).</summary>
    public void Exclude(string field, string reason) => _excluded[field] = reason;

    /// <summary>Counts one comparison of <paramref name="field"/>, and records it when the values disagree.</summary>
    public void Check(string record, string field, bool agree, string? ours, string? theirs)
    {
        if (_excluded.TryGetValue(field, out string? reason))
        {
            _exclusionsUsed.Add(field);
            Skip(record, field, $"{reason} (ours {Show(ours)}, Elastic {Show(theirs)})");
            return;
        }

        _compared[field] = _compared.GetValueOrDefault(field) + 1;
        if (ours is null && theirs is null)
        {
            _bothAbsent[field] = _bothAbsent.GetValueOrDefault(field) + 1;
        }

        if (!agree)
        {
            _problems.Add($"{record}: {field}: ours {Show(ours)}, Elastic {Show(theirs)}");
        }
    }

    /// <summary>A problem that is not a field value: an unjustified rejection, an unmatched record...</summary>
    public void Problem(string record, string message) => _problems.Add($"{record}: {message}");

    /// <summary>A comparison deliberately not made, with the reason (reported, never silent).</summary>
    public void Skip(string record, string field, string reason) => _skipped.Add($"{record}: {field}: {reason}");

    /// <summary>Reports every exclusion that no comparison needed: a stale justification hides nothing, but
    /// says something false about the fixtures.</summary>
    public void CheckExclusionsUsed(string where)
    {
        foreach (string field in _excluded.Keys.Where(f => !_exclusionsUsed.Contains(f)))
        {
            Problem(where, $"the exclusion of '{field}' was never needed; remove it");
        }
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append("Comparisons per field (of which absent on both sides): ")
            .AppendJoin(", ", _compared.Select(c => $"{c.Key} {c.Value} ({_bothAbsent.GetValueOrDefault(c.Key)})"))
            .AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Skipped with a reason ({_skipped.Count}):").AppendLine();
        foreach (string skip in _skipped)
        {
            text.Append("  ").AppendLine(skip);
        }

        return text.ToString();
    }

    /// <summary>Fails with every problem found, one per line, followed by the summary.</summary>
    public void AssertNone(string what)
    {
        Assert.True(
            _problems.Count == 0,
            $"{_problems.Count} problem(s) {what}:\n  " + string.Join("\n  ", _problems) + "\n" + Summary());
    }

    private static string Show(string? value) => value is null ? "(none)" : "'" + value + "'";
}
