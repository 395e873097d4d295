using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Node.Http;

/// <summary>
/// Server-Sent Events of trials closing (completed, failed, quarantined) and searches changing phase, as they
/// appear in the journal: it polls the journal's ordering column and reads only the entries past the last one
/// sent. Each event's id is its journal ordering, so a browser that reconnects (Last-Event-ID) misses nothing.
/// </summary>
public static class JournalEventStream
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="searchId">One search's events, or null for every search's.</param>
    public static async Task Serve(HttpContext context, IJournalSource source, SearchId? searchId)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var token = context.RequestAborted;
        // Resume after the last event the client saw, else start at now: history comes from the REST endpoints.
        var last = long.TryParse(context.Request.Headers["Last-Event-ID"], out var resumed) ? resumed : source.LastOrdering();
        await response.WriteAsync($": journal at {last}\n\n", token);
        await response.Body.FlushAsync(token);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var now = source.LastOrdering();
                if (now > last)
                {
                    foreach (var id in searchId is { } one ? [one] : source.Searches())
                    foreach (var record in source.Events(id, last))
                        if (Describe(record.Event) is { } described)
                            await response.WriteAsync(
                                $"id: {record.Ordering}\nevent: {described.Name}\ndata: {JsonSerializer.Serialize(described.Data with { Search = id.Value, At = record.Written }, DashboardEndpoints.Json)}\n\n",
                                token);
                    // A heartbeat-free change (a lease) still tells the page something moved.
                    await response.WriteAsync($"id: {now}\nevent: journal\ndata: {now}\n\n", token);
                    await response.Body.FlushAsync(token);
                    last = now;
                }
                await Task.Delay(PollInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    private static (string Name, StreamEvent Data)? Describe(ISearchEvent e) => e switch
    {
        TrialCompleted c => ("trial-completed", new StreamEvent { Trial = c.TrialId, Trainer = c.TrainerId, Objective = c.Objective }),
        TrialFailed f => ("trial-failed", new StreamEvent { Trial = f.TrialId, Trainer = f.TrainerId, Reason = f.Reason }),
        TrialQuarantined q => ("trial-quarantined", new StreamEvent { Trial = q.TrialId, Reason = q.Reason }),
        SearchFinished f => ("search-finished", new StreamEvent { Reason = f.Message }),
        SearchPaused p => ("search-paused", new StreamEvent { Reason = p.Reason }),
        SearchResumed => ("search-resumed", new StreamEvent()),
        SearchCancelled c => ("search-cancelled", new StreamEvent { Reason = c.Reason }),
        _ => null
    };

    private sealed record StreamEvent
    {
        public string? Search { get; init; }
        public int? Trial { get; init; }
        public string? Trainer { get; init; }
        public double? Objective { get; init; }
        public string? Reason { get; init; }
        public DateTimeOffset? At { get; init; }
    }
}
