using NasActors.Core.Trials;

namespace NasActors.Engine.Searches;

/// <summary>
/// Events of a search coordinator. Each has a stable manifest with a version suffix in
/// <see cref="Serialization.SearchEventSerializer"/>; a change to a record here needs a new
/// version there and a test that the old one still recovers.
/// </summary>
public interface ISearchEvent;

public static class SearchEvents
{
    public sealed record SearchStarted(string SearchId, SearchSpecData Spec, DateTimeOffset StartedAt) : ISearchEvent;

    public sealed record TrialProposed(TrialRecord Trial) : ISearchEvent;

    public sealed record TrialLeased(int TrialId, string TrainerId) : ISearchEvent;

    public sealed record TrialLeaseExpired(int TrialId) : ISearchEvent;

    public sealed record TrialCompleted(int TrialId, string TrainerId, TrialMetrics Metrics, double Objective) : ISearchEvent;

    public sealed record TrialFailed(int TrialId, string TrainerId, string Reason) : ISearchEvent;

    public sealed record SearchFinished(int? BestTrialId, bool Succeeded, string Message) : ISearchEvent;

    /// <summary>
    /// Proposals a strategy entity offered, buffered for the next trials. Persisted so that replay
    /// adopts recorded trials from the same buffer instead of asking entities again, and so that no
    /// proposal an entity counts as in flight is lost in a restart.
    /// </summary>
    public sealed record ProposalsBuffered(string Owner, IReadOnlyList<Proposal> Proposals) : ISearchEvent;
    public sealed record SearchPaused(string Reason) : ISearchEvent;

    public sealed record SearchResumed : ISearchEvent;

    public sealed record SearchCancelled(string Reason) : ISearchEvent;
}
