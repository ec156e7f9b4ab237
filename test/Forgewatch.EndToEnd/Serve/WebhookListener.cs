using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>A real HTTP listener on a free port of 127.0.0.1 that records every POST to <c>/hook</c> (headers
/// and body) and answers 200, or 503 while <see cref="Down"/> is set.</summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, byte[] Body)> Received { get; } = new();

    public bool Down { get => Volatile.Read(ref _down); set => Volatile.Write(ref _down, value); }

    private bool _down;

    public static async Task<WebhookListener> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        WebhookListener? listener = null;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (listener!.Down)
            {
                return Results.StatusCode(503);
            }

            listener.Received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        listener = new WebhookListener(app, new Uri(new Uri(address), "/hook"));
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
