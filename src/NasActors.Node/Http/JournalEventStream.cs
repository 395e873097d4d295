using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Node.Http;

/// <summary>
/// Server-Sent Events of trials closing (completed, failed, quarantined) and searches changing phase, as they
/// appear in the journal: it polls the journal's ordering column and reads only the entries past the last one
/// sent (<see cref="ServerSentEvents"/>). Each event's id is its journal ordering, so a browser that reconnects (Last-Event-ID) misses nothing.
/// </summary>
public static class JournalEventStream
{
    /// <param name="searchId">One search's events, or null for every search's.</param>
    public static Task Serve(HttpContext context, IJournalSource source, SearchId? searchId) =>
        ServerSentEvents.Serve(context, source.LastOrdering, last =>
        {
            var now = source.LastOrdering();
            if (now <= last) return (last, []);
            var events = new List<ServerSentEvent>();
            foreach (var id in searchId is { } one ? [one] : source.Searches())
            foreach (var record in source.Events(id, last))
                if (Describe(record.Event) is { } described)
                    events.Add(new ServerSentEvent(record.Ordering, described.Name,
                        JsonSerializer.Serialize(described.Data with { Search = id.Value, At = record.Written }, DashboardEndpoints.Json)));
            // A change with no event of its own (a lease) still tells the page something moved.
            events.Add(new ServerSentEvent(now, "journal", now.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return (now, events);
        });

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
