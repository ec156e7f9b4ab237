using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forgewatch.Testing;
using Forgewatch.Server.Tests.Storage;

namespace Forgewatch.Server.Tests.Ingestion;

/// <summary>POST /api/v1/tenants/{tenant}/events on the real server, with real HTTP.</summary>
public class EventsEndpointTests
{
    private static readonly string UalJsonLines = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
    private static readonly string UalGzip = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-05.jsonl.gz");
    private static readonly string BadLines = Path.Combine(RepositoryPaths.Exports, "broken", "bad-lines.jsonl");

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Post_NewRecords_StoredBeforeTheAnswerAndCounted(StoreKind kind)
    {
        await using TestServer server = await TestServer.StartAsync(kind: kind);
        int lines = File.ReadAllLines(UalJsonLines).Count(l => l.Length > 0);

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(UalJsonLines));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("contoso", receipt.RootElement.GetProperty("tenant").GetString());
        Assert.Equal(lines, receipt.RootElement.GetProperty("records").GetInt32());
        Assert.Equal(lines, receipt.RootElement.GetProperty("stored").GetInt32());
        Assert.Equal(0, receipt.RootElement.GetProperty("duplicates").GetInt32());
        Assert.Equal(lines, server.Store.CountEvents("contoso"));
        Assert.Equal(0, server.Store.CountEvents("fabrikam"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Post_SameBatchTwice_SecondStoresNothing(StoreKind kind)
    {
        await using TestServer server = await TestServer.StartAsync(kind: kind);
        byte[] body = File.ReadAllBytes(UalJsonLines);
        using HttpResponseMessage first = await Post(server, "contoso", server.ContosoKey, body);
        long stored = server.Store.CountEvents("contoso");

        using HttpResponseMessage second = await Post(server, "contoso", server.ContosoKey, body);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using JsonDocument receipt = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, receipt.RootElement.GetProperty("stored").GetInt32());
        Assert.Equal(stored, receipt.RootElement.GetProperty("duplicates").GetInt32());
        Assert.Equal(stored, server.Store.CountEvents("contoso"));
    }

    [Fact]
    public async Task Post_SameRecordsForTwoTenants_EachKeepsItsOwn()
    {
        await using TestServer server = await TestServer.StartAsync();
        byte[] body = File.ReadAllBytes(UalJsonLines);

        using HttpResponseMessage contoso = await Post(server, "contoso", server.ContosoKey, body);
        using HttpResponseMessage fabrikam = await Post(server, "fabrikam", server.FabrikamKey, body);

        Assert.Equal(HttpStatusCode.OK, fabrikam.StatusCode);
        Assert.Equal(server.Store.CountEvents("contoso"), server.Store.CountEvents("fabrikam"));
        Assert.True(server.Store.CountEvents("fabrikam") > 0);
    }

    [Fact]
    public async Task Post_GzipBody_ReadLikeAFile()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(UalGzip));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var gzip = new GZipStream(File.OpenRead(UalGzip), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        int lines = (await reader.ReadToEndAsync(TestContext.Current.CancellationToken)).Split('\n').Count(l => l.Length > 0);
        Assert.Equal(lines, server.Store.CountEvents("contoso"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Post_BatchWithBrokenRecords_400ProblemAndNothingStored(StoreKind kind)
    {
        await using TestServer server = await TestServer.StartAsync(kind: kind);

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(BadLines));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("https://forgewatch.dev/problems/bad-batch", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        int rejected = problem.RootElement.GetProperty("rejectedCount").GetInt32();
        Assert.True(rejected > 0);
        JsonElement first = problem.RootElement.GetProperty("rejections")[0];
        Assert.True(first.GetProperty("line").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(first.GetProperty("code").GetString()));

        // The file's good lines were not stored either: the batch is all or nothing.
        Assert.Equal(0, server.Store.CountEvents("contoso"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public async Task Post_NoRecords_400(string body)
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, server.Store.CountEvents("contoso"));
    }

    [Fact]
    public async Task Post_OverTheSizeLimit_413AndNothingStored()
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:MaxBatchBytes"] = "2048" });
        byte[] body = File.ReadAllBytes(UalJsonLines);
        Assert.True(body.Length > 2048);

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, server.Store.CountEvents("contoso"));
        string incoming = Path.Combine(server.Data, "incoming");
        Assert.False(Directory.Exists(incoming) && Directory.EnumerateFiles(incoming).Any());
    }

    [Fact]
    public async Task Post_OverTheRecordLimit_413AndNothingStored()
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:MaxBatchRecords"] = "5" });

        using HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(UalGzip));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 5 records", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, server.Store.CountEvents("contoso"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer fwi_notakey")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.e30.")]
    public async Task Post_WithoutAValidKey_401AndNothingStored(string? authorization)
    {
        await using TestServer server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/contoso/events") { Content = new ByteArrayContent(File.ReadAllBytes(UalJsonLines)) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(0, server.Store.CountEvents("contoso"));
    }

    /// <summary>A tenant's key opens only its own path: another tenant's, and one that does not exist, look
    /// the same (404), so a caller cannot even learn which tenants exist.</summary>
    [Theory]
    [InlineData("fabrikam")]
    [InlineData("nosuchtenant")]
    [InlineData("CONTOSO")]
    public async Task Post_OtherTenantsPath_404AndNothingStored(string path)
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Post(server, path, server.ContosoKey, File.ReadAllBytes(UalJsonLines));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, server.Store.CountEvents("fabrikam"));
        Assert.Equal(0, server.Store.CountEvents("contoso"));
    }

    [Fact]
    public async Task Post_QueueFull_429WithRetryAfter()
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:ConcurrentBatches"] = "1", ["Forgewatch:QueuedBatches"] = "0", ["Forgewatch:RetryAfterSeconds"] = "7" });
        var slowBody = new HeldContent(File.ReadAllBytes(UalJsonLines));
        using var held = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/contoso/events") { Content = slowBody };
        held.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ContosoKey);
        Task<HttpResponseMessage> first = server.Client.SendAsync(held, TestContext.Current.CancellationToken);
        await slowBody.Started.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        for (int i = 0; i < 300 && server.Gate.Depth == 0; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, server.Gate.Depth);

        // The only turn is taken by the first batch, whose body is still arriving.
        HttpResponseMessage refused = await PostUntilRefused(server);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
        refused.Dispose();

        slowBody.Release();
        using HttpResponseMessage firstAnswer = await first;
        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        using HttpResponseMessage after = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(UalJsonLines));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Healthz_Ok()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await server.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Restart_StoredEventsStillThereAndStillDeduplicated(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        string key;
        long stored;
        await using (TestServer server = await TestServer.StartAsync(database: database))
        {
            key = server.ContosoKey;
            using HttpResponseMessage response = await Post(server, "contoso", key, File.ReadAllBytes(UalJsonLines));
            stored = server.Store.CountEvents("contoso");
        }

        // Starting again over the same store keeps the tenants (and their first keys) as they were.
        await using TestServer again = await TestServer.StartAsync(database: database);
        Assert.Equal(stored, again.Store.CountEvents("contoso"));

        using HttpResponseMessage repeat = await Post(again, "contoso", key, File.ReadAllBytes(UalJsonLines));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        using JsonDocument receipt = JsonDocument.Parse(await repeat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, receipt.RootElement.GetProperty("stored").GetInt32());
        Assert.Equal(stored, again.Store.CountEvents("contoso"));
    }

    private static async Task<HttpResponseMessage> Post(TestServer server, string tenant, string key, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{tenant}/events") { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> PostUntilRefused(TestServer server)
    {
        // The first request holds its turn from the moment its handler runs; until then a second one may
        // still get through, so try a few times.
        var seen = new List<string>();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            HttpResponseMessage response = await Post(server, "contoso", server.ContosoKey, File.ReadAllBytes(UalJsonLines));
            seen.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException("The queue never filled: " + string.Join(",", seen));
    }

    /// <summary>A body that sends its first bytes, then waits to be released before sending the rest.</summary>
    private sealed class HeldContent(byte[] body) : HttpContent
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, 16));
            await stream.FlushAsync();
            _started.TrySetResult();
            await _release.Task;
            await stream.WriteAsync(body.AsMemory(16));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
