using System.Net;
using System.Text;
using System.Text.Json;

namespace Forgewatch.Tokens.Tests.Sources;

/// <summary>Answers key fetches in process, counting them, as an HTTPS key server would.</summary>
internal sealed class FakeKeyServer(Func<HttpRequestMessage, HttpResponseMessage> answer, TimeSpan? delay = null) : HttpMessageHandler
{
    public int Requests { get; private set; }

    public static HttpResponseMessage Json(object body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (delay is { } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }

        return answer(request);
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
