using System.Buffers;

namespace Forgewatch.Cli.Token;

/// <summary>Where a token candidate sits in a line (0-based character offset and length).</summary>
internal readonly record struct TokenSpan(int Start, int Length);

/// <summary>
/// Finds the JWS compact tokens in a line of text: the value after every <c>Bearer</c> (any case) that has at
/// least two dots, and every bare run that starts with <c>eyJ</c> (base64url of <c>{"</c>) and has exactly
/// three dot-separated parts. The candidate is taken as written (padding and <c>+</c> included) so that the
/// verifier judges the text in the log, never a cleaned-up copy; one sentence-ending dot after a complete
/// token is left out. Runs of more than three parts (JWE, five) are not JWS and are skipped, unless they
/// follow <c>Bearer</c>. Oversize candidates are not cut: the verifier refuses them by length.
/// </summary>
internal static class TokenFinder
{
    private const string BearerWord = "bearer";

    /// <summary>Characters of a bare candidate: base64url, the dots between parts, and what non-canonical
    /// base64 adds (<c>+</c>, <c>=</c>), which the verifier then refuses.</summary>
    private static readonly SearchValues<char> BareChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+=");

    /// <summary>RFC 6750 token68 characters, the dots included.</summary>
    private static readonly SearchValues<char> BearerChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+=~/");

    private static readonly SearchValues<char> Base64UrlChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Adds the candidates of <paramref name="line"/> to <paramref name="found"/>, in line order.</summary>
    public static void Find(ReadOnlySpan<char> line, List<TokenSpan> found)
    {
        int first = found.Count;
        FindBearer(line, found);
        int bearers = found.Count;
        FindBare(line, found, first, bearers);
        if (found.Count - bearers > 0 && bearers > first)
        {
            found.Sort(first, found.Count - first, Comparer<TokenSpan>.Create((a, b) => a.Start.CompareTo(b.Start)));
        }
    }

    private static void FindBearer(ReadOnlySpan<char> line, List<TokenSpan> found)
    {
        int from = 0;
        while (from < line.Length)
        {
            int at = line[from..].IndexOf(BearerWord, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return;
            }

            at += from;
            from = at + BearerWord.Length;
            if ((at > 0 && char.IsLetterOrDigit(line[at - 1])) || from >= line.Length || line[from] is not (' ' or '\t'))
            {
                continue;
            }

            int start = from;
            while (start < line.Length && line[start] is ' ' or '\t')
            {
                start++;
            }

            int length = Run(line, start, BearerChars);
            length = WithoutFinalDot(line.Slice(start, length));
            if (line.Slice(start, length).Count('.') >= 2)
            {
                found.Add(new TokenSpan(start, length));
            }

            from = start + Math.Max(length, 1);
        }
    }

    private static void FindBare(ReadOnlySpan<char> line, List<TokenSpan> found, int bearerFirst, int bearerEnd)
    {
        int from = 0;
        int bearer = bearerFirst;
        while (from < line.Length)
        {
            int at = line[from..].IndexOf("eyJ", StringComparison.Ordinal);
            if (at < 0)
            {
                return;
            }

            at += from;
            if (at > 0 && (Base64UrlChars.Contains(line[at - 1]) || line[at - 1] == '.'))
            {
                from = at + 3;
                continue;
            }

            int length = Run(line, at, BareChars);
            from = at + length;

            // Bearer spans are in line order, as are the bare candidates: one pass over both.
            while (bearer < bearerEnd && found[bearer].Start + found[bearer].Length <= at)
            {
                bearer++;
            }

            if (bearer < bearerEnd && found[bearer].Start <= at)
            {
                continue;
            }

            ReadOnlySpan<char> candidate = line.Slice(at, WithoutFinalDot(line.Slice(at, length)));
            int dot1 = candidate.IndexOf('.');
            int dot2 = dot1 < 0 ? -1 : candidate[(dot1 + 1)..].IndexOf('.');
            if (dot1 > 0 && dot2 > 0 && candidate.Count('.') == 2)
            {
                found.Add(new TokenSpan(at, candidate.Length));
            }
        }
    }

    private static int Run(ReadOnlySpan<char> line, int start, SearchValues<char> chars)
    {
        int end = line[start..].IndexOfAnyExcept(chars);
        return end < 0 ? line.Length - start : end;
    }

    /// <summary>The length without one final dot that ends a sentence rather than the token: kept when the
    /// token needs it (<c>header.payload.</c>, an unsigned token's empty signature).</summary>
    private static int WithoutFinalDot(ReadOnlySpan<char> run) =>
        run.Length > 0 && run[^1] == '.' && run.Count('.') > 2 ? run.Length - 1 : run.Length;
}
