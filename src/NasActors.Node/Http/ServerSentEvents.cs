using Microsoft.AspNetCore.Http;

namespace NasActors.Node.Http;

/// <summary>One Server-Sent Event: its id (what a reconnecting browser sends back as Last-Event-ID), name and JSON data.</summary>
public sealed record ServerSentEvent(long Id, string Name, string Data);

/// <summary>
/// The event-stream loop the dashboard's feeds share: it polls a numbered source for what came after the last id
/// sent and writes it, until the browser goes away. A reconnecting browser resumes after its Last-Event-ID;
/// a new one starts at the source's present (history comes from the REST endpoints).
/// </summary>
public static class ServerSentEvents
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="present">the source's latest id now</param>
    /// <param name="after">the events after an id and the id they reach (equal to it when nothing is new)</param>
    public static async Task Serve(HttpContext context, Func<long> present, Func<long, (long Reached, IReadOnlyList<ServerSentEvent> Events)> after)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var token = context.RequestAborted;
        var last = long.TryParse(context.Request.Headers["Last-Event-ID"], out var resumed) ? resumed : present();
        await response.WriteAsync($": at {last}\n\n", token);
        await response.Body.FlushAsync(token);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var (reached, events) = after(last);
                if (reached > last)
                {
                    foreach (var e in events) await response.WriteAsync($"id: {e.Id}\nevent: {e.Name}\ndata: {e.Data}\n\n", token);
                    await response.Body.FlushAsync(token);
                    last = reached;
                }
                await Task.Delay(PollInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The browser went away.
        }
    }
}
