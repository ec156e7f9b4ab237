using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgewatch.Cli.Console;
using Forgewatch.Reports.Terminal;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forgewatch.Cli.Token;

/// <summary>What <c>forgewatch token scan</c> was asked to do.</summary>
internal sealed record TokenScanOptions
{
    public required IReadOnlyList<string> Paths { get; init; }

    public required TokenKeyOptions Keys { get; init; }

    public required string OutDirectory { get; init; }

    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Runs one <c>forgewatch token scan</c>: reads the files line by line, finds the tokens in each line
/// (<see cref="TokenFinder"/>), verifies a batch of them at a time in parallel, and writes
/// <c>verdicts.jsonl</c> in input order (file, line, column), then a summary. The same token met again is
/// judged once (by its SHA-256; every token is judged as of one time, the scan's start or <c>--at</c>). The
/// token itself is never written: it is a credential.
/// </summary>
internal sealed class TokenScanRunner(TokenScanOptions options)
{
    public const string FileName = "verdicts.jsonl";

    /// <summary>Lines that may hold tokens, handed over at a time; a batch is also closed when its lines hold
    /// this many characters, so a file of huge lines keeps memory bounded.</summary>
    private const int BatchLines = 2048;

    private const long BatchChars = 16L << 20;

    /// <summary>Verdicts remembered by token hash; the cache starts over when full.</summary>
    private const int CacheLimit = 100_000;

    private readonly ConcurrentDictionary<string, TokenVerdict> _cache = new(StringComparer.Ordinal);
    private List<LineItem> _batch = [];

    /// <summary>The batch being verified and written while the next is read.</summary>
    private Task? _writing;
    private readonly TokenScanSummary _summary = new();
    private int _cached;
    private long _batchChars;
    private long _bytesDone;
    private long _totalBytes;
    private int _filesDone;
    private bool _hadReadError;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<string>? files = ExpandFiles(options.Paths);
        if (files is null)
        {
            return ExitCodes.UsageOrIoError;
        }

        KeyScopePolicy? policy = await TokenKeys.LoadAsync(options.Keys, System.Console.Error, cancellationToken).ConfigureAwait(false);
        if (policy is null)
        {
            return ExitCodes.UsageOrIoError;
        }

        string outPath = Path.Combine(options.OutDirectory, FileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(options.OutDirectory);
            stream = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"forgewatch: cannot write {TerminalText.Safe(outPath, 300)}: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        var verifier = new TokenVerifier(policy);
        DateTimeOffset at = options.Keys.At ?? DateTimeOffset.UtcNow;
        _totalBytes = files.Sum(f => new FileInfo(f).Length);
        _summary.Files = files.Count;
        try
        {
            using var progress = new ScanProgress(this, files.Count);
            using (stream)
            {
                foreach (string file in files)
                {
                    ReadFile(file, verifier, at, stream, cancellationToken);
                    _filesDone++;
                }

                Flush(verifier, at, stream, cancellationToken);
                _writing?.GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"forgewatch: cannot write {TerminalText.Safe(outPath, 300)}: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        IAnsiConsole stdout = ResultConsole.Standard();

        foreach (IRenderable part in TokenScanSummaryView.Render(_summary))
        {
            stdout.Write(part);
            stdout.WriteLine();
        }

        stdout.Write(new Text($"Verdicts:   {outPath}\n"));

        return _summary.Forged > 0 ? ExitCodes.TokenForged
            : _hadReadError ? ExitCodes.UsageOrIoError
            : _summary.Invalid > 0 ? ExitCodes.TokenInvalid
            : ExitCodes.Ok;
    }

    /// <summary>The files named, folders read recursively (in name order), or null after saying what is missing.</summary>
    private static List<string>? ExpandFiles(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        bool missing = false;
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else
            {
                System.Console.Error.WriteLine($"forgewatch: no such file or folder: {TerminalText.Safe(path, 300)}");
                missing = true;
            }
        }

        if (missing)
        {
            return null;
        }

        if (files.Count == 0)
        {
            System.Console.Error.WriteLine("forgewatch: the given folders contain no files to read.");
            return null;
        }

        return files;
    }

    private void ReadFile(string file, TokenVerifier verifier, DateTimeOffset at, Stream output, CancellationToken cancellationToken)
    {
        long before = Interlocked.Read(ref _bytesDone);
        try
        {
            using var raw = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            using Stream content = IsGzip(raw) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            int lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if ((lineNumber & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Interlocked.Exchange(ref _bytesDone, before + raw.Position);
                }

                // Only a cheap look here: finding and verifying the tokens is done in parallel.
                if (line.Contains("eyJ", StringComparison.Ordinal) || line.Contains("bearer", StringComparison.OrdinalIgnoreCase))
                {
                    _batch.Add(new LineItem(file, lineNumber, line));
                    _batchChars += line.Length;
                    if (_batch.Count >= BatchLines || _batchChars >= BatchChars)
                    {
                        Flush(verifier, at, output, cancellationToken);
                    }
                }
            }

            _summary.Lines += lineNumber;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            _hadReadError = true;
            System.Console.Error.WriteLine($"forgewatch: cannot read {TerminalText.Safe(file, 300)}: {TerminalText.Safe(e.Message, 300)}");
        }
        finally
        {
            Interlocked.Exchange(ref _bytesDone, before + SizeOf(file));
        }
    }

    private static bool IsGzip(FileStream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static long SizeOf(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Hands the batch to a task that, in parallel, finds the tokens in each line, verifies them and
    /// writes each line's verdicts as JSON, then appends them in input order while reading goes on; one batch
    /// is written at a time, so order and memory stay bounded.</summary>
    private void Flush(TokenVerifier verifier, DateTimeOffset at, Stream output, CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        List<LineItem> batch = _batch;
        _batch = new List<LineItem>(batch.Count);
        _batchChars = 0;
        Task? previous = _writing;
        _writing = Task.Run(
            () =>
            {
                var judged = new LineVerdicts?[batch.Count];
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
                Parallel.For(0, batch.Count, parallel, i => judged[i] = JudgeLine(verifier, batch[i], at));
                previous?.GetAwaiter().GetResult();
                Write(batch, judged, output);
            },
            cancellationToken);
        previous?.GetAwaiter().GetResult();
    }

    /// <summary>The verdicts of the tokens in one line, and their <c>verdicts.jsonl</c> lines; null when the
    /// line holds none.</summary>
    private LineVerdicts? JudgeLine(TokenVerifier verifier, LineItem item, DateTimeOffset at)
    {
        List<TokenSpan> found = t_found ??= [];
        found.Clear();
        TokenFinder.Find(item.Text, found);
        if (found.Count == 0)
        {
            return null;
        }

        var buffer = t_json ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer, VerdictOutput.JsonOptions);
        var verdicts = new (string Hash, TokenVerdict Verdict)[found.Count];
        for (int i = 0; i < found.Count; i++)
        {
            TokenSpan span = found[i];
            (string hash, TokenVerdict verdict) = Judge(verifier, item.Text.AsSpan(span.Start, span.Length), at);
            verdicts[i] = (hash, verdict);
            writer.Reset(buffer);
            writer.WriteStartObject();
            writer.WriteString("file", item.File);
            writer.WriteNumber("line", item.Line);
            writer.WriteNumber("column", span.Start + 1);
            writer.WriteString("tokenSha256", hash);
            VerdictOutput.WriteMembers(writer, verdict);
            writer.WriteEndObject();
            writer.Flush();
            buffer.Write("\n"u8);
        }

        return new LineVerdicts(buffer.WrittenSpan.ToArray(), verdicts);
    }

    private void Write(List<LineItem> batch, LineVerdicts?[] judged, Stream output)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            if (judged[i] is not { } line)
            {
                continue;
            }

            output.Write(line.Json);
            foreach ((string hash, TokenVerdict verdict) in line.Verdicts)
            {
                _summary.Add(batch[i].File, batch[i].Line, hash, verdict);
            }
        }
    }

    private (string Hash, TokenVerdict Verdict) Judge(TokenVerifier verifier, ReadOnlySpan<char> token, DateTimeOffset at)
    {
        string hash = Sha256Hex(token);
        if (_cache.TryGetValue(hash, out TokenVerdict? known))
        {
            return (hash, known);
        }

        TokenVerdict verdict = verifier.Verify(token, at);

        // ConcurrentDictionary.Count takes every lock of the dictionary: count additions here instead.
        if (Volatile.Read(ref _cached) >= CacheLimit)
        {
            _cache.Clear();
            Volatile.Write(ref _cached, 0);
        }

        if (_cache.TryAdd(hash, verdict))
        {
            Interlocked.Increment(ref _cached);
        }
        return (hash, verdict);
    }

    /// <summary>Hex SHA-256 of the token's UTF-8 text: the same token gives the same value, in any file.</summary>
    private static string Sha256Hex(ReadOnlySpan<char> token)
    {
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(token.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(token, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    [ThreadStatic]
    private static List<TokenSpan>? t_found;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_json;

    private readonly record struct LineItem(string File, int Line, string Text);

    private sealed record LineVerdicts(byte[] Json, (string Hash, TokenVerdict Verdict)[] Verdicts);

    /// <summary>A progress line on standard error every second while it is a terminal (rewritten in place and
    /// cleared at the end); nothing when it is redirected, so scripts and logs get only results.</summary>
    private sealed class ScanProgress : IDisposable
    {
        private readonly TokenScanRunner _runner;
        private readonly int _files;
        private readonly Timer? _timer;
        private readonly Lock _lock = new();
        private bool _shown;
        private bool _done;

        public ScanProgress(TokenScanRunner runner, int files)
        {
            _runner = runner;
            _files = files;
            if (!System.Console.IsErrorRedirected)
            {
                _timer = new Timer(_ => Show(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            }
        }

        private void Show()
        {
            lock (_lock)
            {
                if (_done)
                {
                    return;
                }

                long done = Interlocked.Read(ref _runner._bytesDone);
                long total = Math.Max(1, _runner._totalBytes);
                string line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"forgewatch: read {Size(done)} of {Size(_runner._totalBytes)} ({Math.Min(100, 100.0 * done / total):F0}%), {Volatile.Read(ref _runner._filesDone)}/{_files} files, {_runner._summary.TokenCount:N0} tokens, {_runner._summary.ForgedCount:N0} forged");
                System.Console.Error.Write("\r" + line + "\u001b[K");
                _shown = true;
            }
        }

        public void Dispose()
        {
            _timer?.Dispose();
            lock (_lock)
            {
                _done = true;
                if (_shown)
                {
                    System.Console.Error.Write("\r\u001b[K");
                }
            }
        }

        private static string Size(long bytes) => bytes switch
        {
            >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
            >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
            >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F1} KiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        };
    }
}
