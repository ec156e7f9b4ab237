using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Scores the outputs of a <c>forgewatch scan</c> (its <c>--out</c> folder) against the <c>truth.json</c>
/// of the simulation it scanned: the work of <c>forgewatch evaluate</c>.
/// </summary>
public static class ScanEvaluator
{
    /// <summary>The scan outputs read, in <c>resultsDirectory</c>.</summary>
    public static IReadOnlyList<string> InputFileNames { get; } = [ScanAlert.FileName, ScanIncident.FileName, ExposureCsvReader.FileName];

    /// <summary>Reads both and scores.</summary>
    /// <exception cref="EvaluationInputException">An input is missing, unreadable or malformed, or the
    /// truth file is of another format; the message names the file (and line).</exception>
    public static ScanEvaluation Evaluate(string truthPath, string resultsDirectory)
    {
        ArgumentNullException.ThrowIfNull(truthPath);
        ArgumentNullException.ThrowIfNull(resultsDirectory);
        TruthFile truth = TruthLoader.Load(truthPath);
        if (!Directory.Exists(resultsDirectory))
        {
            throw new EvaluationInputException(resultsDirectory, null, "no such folder (give the --out folder of a forgewatch scan).");
        }

        // A missing output is said at once, not after reading a large alerts file.
        foreach (string name in InputFileNames)
        {
            string path = Path.Combine(resultsDirectory, name);
            if (!File.Exists(path))
            {
                throw new EvaluationInputException(path, null, "no such file (is this the output folder of a forgewatch scan?).");
            }
        }

        return ScanScorer.Score(truth, resultsDirectory);
    }
}
