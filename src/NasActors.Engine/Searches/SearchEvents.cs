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

    /// <summary>
    /// <paramref name="LeaseEpoch"/> is the fencing token: the 1-based count of this trial's leases. Only a report
    /// carrying the trial's latest epoch counts. Journals from before fencing read 0 (the nth lease is epoch n).
    /// </summary>
    public sealed record TrialLeased(int TrialId, string TrainerId, int LeaseEpoch) : ISearchEvent;

    public sealed record TrialLeaseExpired(int TrialId) : ISearchEvent;

    /// <summary><paramref name="LeaseEpoch"/>: the epoch whose result counted (its weights carry it); 0 in journals from before fencing.</summary>
    public sealed record TrialCompleted(int TrialId, string TrainerId, TrialMetrics Metrics, double Objective, int LeaseEpoch) : ISearchEvent;

    public sealed record TrialFailed(int TrialId, string TrainerId, string Reason) : ISearchEvent;

    /// <summary>
    /// A lease given back without a result and without it being the trial's fault (the trainer hit an
    /// infrastructure fault, was preempted or drained, the search paused): the trial is queued again and the
    /// attempt does not count towards <c>execution.max_attempts</c>. <paramref name="Reason"/> says why, e.g.
    /// "infrastructure: disk full", "preempted", "paused".
    /// </summary>
    public sealed record TrialHandedBack(int TrialId, int LeaseEpoch, string Reason) : ISearchEvent;

    /// <summary>
    /// A poison trial: <paramref name="Attempts"/> attempts ended without a result (the process died, the lease
    /// expired), so it is failed instead of re-queued. Counts as a failed trial against <c>budget.max_failures</c>.
    /// </summary>
    public sealed record TrialQuarantined(int TrialId, int Attempts, string Reason) : ISearchEvent;

    public sealed record SearchFinished(int? BestTrialId, bool Succeeded, string Message) : ISearchEvent;

    /// <summary>
    /// Proposals a strategy entity offered, buffered for the next trials. Persisted so that replay
    /// adopts recorded trials from the same buffer instead of asking entities again, and so that no
    /// proposal an entity counts as in flight is lost in a restart.
    /// </summary>
    public sealed record ProposalsBuffered(string Owner, IReadOnlyList<Proposal> Proposals) : ISearchEvent;
    /// <summary>
    /// SPOS phases 1-2 are over (<see cref="Supernets.SupernetRun"/>): every subnet the evolution scored with inherited
    /// weights, best first. Applied by handing the ranking to the strategy (<c>IRankedBySupernet.Rank</c>), which
    /// then proposes it in order as ordinary trials (phase 3); replay does the same, so trials are re-asked identically.
    /// </summary>
    public sealed record SubnetsRanked(IReadOnlyList<Supernets.RankedSubnet> Ranking, Supernets.SupernetRunStats Stats) : ISearchEvent;

    public sealed record SearchPaused(string Reason) : ISearchEvent;

    public sealed record SearchResumed : ISearchEvent;

    public sealed record SearchCancelled(string Reason) : ISearchEvent;

    /// <summary>An operator changed the trial budget (<c>nas admin search budget</c>); <paramref name="By"/> says who.</summary>
    public sealed record SearchBudgetChanged(int Trials, string By) : ISearchEvent;

    /// <summary>An operator changed the fair-share weight trainers give the search (<c>nas admin search priority</c>).</summary>
    public sealed record SearchPriorityChanged(int Priority, string By) : ISearchEvent;

    /// <summary>
    /// <c>budget.cache</c>: trial <paramref name="TrialId"/>, just proposed, computes the same network at the same fidelity as
    /// the completed trial <paramref name="SourceTrialId"/>, so it is answered with that trial's metrics instead of trained
    /// (no lease; it does not count against <c>budget.trials</c>). <paramref name="Objective"/> is scored for this trial's own
    /// genotype (a cost objective can differ between isomorphic cells). Replay tells the strategy the same outcome.
    /// </summary>
    public sealed record TrialCached(int TrialId, int SourceTrialId, double Objective) : ISearchEvent;

    /// <summary>
    /// <c>budget.cache</c>: trial <paramref name="TrialId"/>, just proposed, computes the same network at the same fidelity as
    /// trial <paramref name="TwinTrialId"/>, which is still training: it waits for that result instead of training the network
    /// a second time, and is answered from it (<see cref="TrialCached"/>, in the same write as the twin's completion). Should
    /// the twin fail for good, the first of its waiters trains and the others wait for that one.
    /// </summary>
    public sealed record TrialAwaitsTwin(int TrialId, int TwinTrialId) : ISearchEvent;

    /// <summary>An operator enqueued an architecture (<c>nas admin search enqueue</c>): a coming trial trains <paramref name="Values"/>.</summary>
    public sealed record TrialEnqueued(double[] Values, string By) : ISearchEvent;
}
