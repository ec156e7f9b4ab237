using System.Globalization;
using Forgewatch.Reports.Terminal;
using Forgewatch.Tokens.Verdicts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forgewatch.Cli.Token;

/// <summary>What a token scan found, counted as verdicts are written (one thread; the progress line reads the
/// two counters it shows from another).</summary>
internal sealed class TokenScanSummary
{
    /// <summary>Forged tokens listed by the summary; all are in verdicts.jsonl.</summary>
    public const int ForgedListed = 20;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private readonly Dictionary<(VerdictKind Kind, string Reason), int> _byReason = [];
    private int _tokens;
    private int _forged;

    public int Files { get; set; }

    public long Lines { get; set; }

    public int TokenCount => Volatile.Read(ref _tokens);

    public int ForgedCount => Volatile.Read(ref _forged);

    public int Distinct => _distinct.Count;

    public int Valid { get; private set; }

    public int Invalid { get; private set; }

    public int Forged => _forged;

    public IReadOnlyDictionary<(VerdictKind Kind, string Reason), int> ByReason => _byReason;

    public List<ForgedToken> ForgedTokens { get; } = [];

    public void Add(string file, int line, string hash, TokenVerdict verdict)
    {
        Interlocked.Increment(ref _tokens);
        _distinct.Add(hash);
        (VerdictKind, string) key = (verdict.Kind, verdict.Reason);
        _byReason[key] = _byReason.GetValueOrDefault(key) + 1;
        switch (verdict.Kind)
        {
            case VerdictKind.Valid:
                Valid++;
                break;
            case VerdictKind.Forged:
                Interlocked.Increment(ref _forged);
                if (ForgedTokens.Count < ForgedListed)
                {
                    ForgedTokens.Add(new ForgedToken(file, line, verdict.Details));
                }

                break;
            default:
                Invalid++;
                break;
        }
    }

    internal sealed record ForgedToken(string File, int Line, TokenDetails? Details);
}

/// <summary>Renders a <see cref="TokenScanSummary"/> for people: counts by verdict, by reason, and the first
/// forged tokens. Every value that came from a file goes through <see cref="TerminalText.Safe"/>, as text,
/// never markup.</summary>
internal static class TokenScanSummaryView
{
    /// <summary>The tables, to be written with an empty line after each.</summary>
    public static IReadOnlyList<IRenderable> Render(TokenScanSummary summary)
    {
        var parts = new List<IRenderable>();
        var counts = new Table().Title("Token scan summary").Border(TableBorder.Rounded);
        counts.AddColumn("");
        counts.AddColumn(new TableColumn("Count").RightAligned());
        Row(counts, "Files", summary.Files);
        Row(counts, "Lines read", summary.Lines);
        Row(counts, "Tokens found", summary.TokenCount);
        Row(counts, "Distinct tokens", summary.Distinct);
        Row(counts, "Valid", summary.Valid);
        Row(counts, "Invalid", summary.Invalid);
        Row(counts, "Forged", summary.Forged);
        parts.Add(counts);

        if (summary.ByReason.Count > 0)
        {
            var reasons = new Table().Title("Verdicts by reason").Border(TableBorder.Rounded);
            reasons.AddColumn("Verdict");
            reasons.AddColumn("Reason");
            reasons.AddColumn(new TableColumn("Tokens").RightAligned());
            foreach (((VerdictKind kind, string reason), int count) in summary.ByReason
                .OrderByDescending(p => p.Key.Kind)
                .ThenByDescending(p => p.Value)
                .ThenBy(p => p.Key.Reason, StringComparer.Ordinal))
            {
                reasons.AddRow(new Text(VerdictOutput.Word(kind)), new Text(reason), new Text(Number(count)));
            }

            parts.Add(reasons);
        }

        if (summary.ForgedTokens.Count > 0)
        {
            string title = summary.Forged > summary.ForgedTokens.Count
                ? $"Forged tokens (the first {summary.ForgedTokens.Count} of {Number(summary.Forged)}; all are in verdicts.jsonl)"
                : "Forged tokens";
            var forged = new Table().Title(title).Border(TableBorder.Rounded);
            forged.AddColumn("Where");
            forged.AddColumn("Key");
            forged.AddColumn("Key owner");
            forged.AddColumn("Claimed issuer");
            forged.AddColumn("Tenant");
            foreach (TokenScanSummary.ForgedToken token in summary.ForgedTokens)
            {
                TokenDetails? d = token.Details;
                forged.AddRow(
                    new Text(TerminalText.Safe($"{token.File}:{token.Line.ToString(CultureInfo.InvariantCulture)}", 80)),
                    new Text(TerminalText.Safe(d?.KeyId ?? "-", 40)),
                    new Text(TerminalText.Safe(d?.KeyOwner ?? "-", 40)),
                    new Text(TerminalText.Safe(d?.Issuer ?? "-", 80)),
                    new Text(TerminalText.Safe(d?.Tenant ?? "-", 40)));
            }

            parts.Add(forged);
        }
        else if (summary.TokenCount == 0)
        {
            parts.Add(new Text("No tokens found."));
        }

        return parts;
    }

    private static void Row(Table table, string name, long value) => table.AddRow(new Text(name), new Text(Number(value)));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
