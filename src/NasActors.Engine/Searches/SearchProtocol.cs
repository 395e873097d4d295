using NasActors.Core.Specs;
using NasActors.Core.Strategies.Curriculum;
using NasActors.Core.Trials;

namespace NasActors.Engine.Searches;

/// <summary>Typed id of a search; also the sharding entity id of its coordinator.</summary>
public sealed record SearchId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>Every message routed to a search coordinator through the "search" shard region.</summary>
public interface ISearchMessage
{
    SearchId SearchId { get; }
}

/// <summary>The coordinator's protocol: commands in the imperative, replies as results.</summary>
public static class SearchProtocol
{
    /// <summary>Starts a search from its spec (JSON). Idempotent: a started search answers with its status.</summary>
    public sealed record StartSearch(SearchId SearchId, string SpecJson, int Features, int Classes) : ISearchMessage;

    /// <summary>An idle trainer pulls work. <paramref name="IncludeSpec"/> asks for the spec the first time.</summary>
    public sealed record RequestWork(SearchId SearchId, string TrainerId, bool IncludeSpec) : ISearchMessage;

    /// <summary>A lease: <paramref name="LeaseEpoch"/> is its fencing token, carried by every heartbeat and report about it.</summary>
    public sealed record WorkAssigned(SearchId SearchId, TrialRecord Trial, int LeaseEpoch, double LeaseSeconds, SearchSpecData? Spec)
    {
        /// <summary>The search's fair-share weight now (an operator may have changed the spec's); 0: not sent (older nodes).</summary>
        public int Priority { get; init; }
    }

    public sealed record NoWorkYet(SearchId SearchId);

    /// <summary>
    /// Answer to <see cref="RequestWork"/> while a weight-sharing (SPOS) search trains its supernet on a cluster: the
    /// trainer joins phase 1 with a <see cref="Supernets.SupernetWorker"/> that asks <paramref name="Driver"/> for rounds.
    /// </summary>
    public sealed record SupernetRoundsOpen(SearchId SearchId, Akka.Actor.IActorRef Driver, SearchSpecData? Spec);

    /// <summary>The search is finished, failed or unknown: trainers stop asking.</summary>
    public sealed record SearchOver(SearchId SearchId);

    /// <summary>
    /// Keeps a lease alive while a trial trains. <paramref name="Progress"/> is the latest batch/epoch the trial
    /// finished: with <c>execution.trial_timeout</c>, a lease whose progress stands still that long is revoked.
    /// </summary>
    public sealed record Heartbeat(SearchId SearchId, string TrainerId, int TrialId, int LeaseEpoch, TrialProgress? Progress = null) : ISearchMessage;

    /// <summary>
    /// A finished trial. With <paramref name="NextWork"/> the trainer also asks for its next trial,
    /// answered after <see cref="ResultAccepted"/> in the same exchange: one round trip and one
    /// journal write per trial instead of two.
    /// </summary>
    public sealed record ReportResult(SearchId SearchId, string TrainerId, int TrialId, int LeaseEpoch, TrialMetrics Metrics, bool NextWork = false) : ISearchMessage;

    /// <summary>
    /// Lease-ahead (<c>execution.lease_ahead</c>): the results a trainer finished since its last report, sent together (a report
    /// goes at once when none is in flight; results that end meanwhile wait for its answer). With <paramref name="NextWork"/> the
    /// coordinator refills the trainer's leases up to the depth. <paramref name="Batch"/> numbers the trainer's reports, so a
    /// resent report's answer is told from the first one's. Answered by one <see cref="WorkBatch"/> once everything is journaled.
    /// </summary>
    public sealed record ReportResults(SearchId SearchId, string TrainerId, int Batch, IReadOnlyList<TrialResult> Results, bool NextWork) : ISearchMessage;

    /// <summary>One finished trial of a <see cref="ReportResults"/>, under the lease epoch it ran with.</summary>
    public sealed record TrialResult(int TrialId, int LeaseEpoch, TrialMetrics Metrics);

    /// <summary>
    /// Answer to <see cref="ReportResults"/> (<paramref name="Batch"/> echoed), or to <see cref="RequestWork"/> when it gives more
    /// than one lease (<paramref name="Batch"/> 0): the results' acceptances and the leases the trainer may not know of
    /// yet (the first to run next, the rest queued): those the refill added, or every lease it holds when the report was resent. <paramref name="Over"/>: the search ended; no lease follows.
    /// </summary>
    public sealed record WorkBatch(SearchId SearchId, int Batch, IReadOnlyList<ResultAccepted> Accepted, IReadOnlyList<WorkAssigned> Leases, bool Over);

    /// <summary>A trial that ended without metrics; <paramref name="Kind"/> says whose fault it was.</summary>
    public sealed record ReportFailure(SearchId SearchId, string TrainerId, int TrialId, int LeaseEpoch, string Reason, FailureKind Kind = FailureKind.Trial) : ISearchMessage;

    /// <summary>
    /// Sent once the report's consequences are in the journal: the trainer may forget it. <paramref name="Counted"/>
    /// is false for a stale report (an older lease epoch, a trial already closed): it changed nothing.
    /// </summary>
    public sealed record ResultAccepted(SearchId SearchId, int TrialId, int LeaseEpoch, bool Counted);

    /// <summary>
    /// Embedded single-process runs: no trainer from before a restart can still be alive, so
    /// every lease is returned to the queue now instead of waiting for it to time out.
    /// </summary>
    public sealed record ReclaimLeases(SearchId SearchId) : ISearchMessage;

    public sealed record LeasesReclaimed(SearchId SearchId, int Count);

    public sealed record GetStatus(SearchId SearchId, bool IncludeTrials = false) : ISearchMessage;

    /// <summary>
    /// Proposals from a strategy entity (an island, the RL controller), every one it still has in
    /// flight: the coordinator buffers the tickets it does not know yet, ahead of the trainers.
    /// </summary>
    public sealed record ProposalsOffered(SearchId SearchId, string Owner, IReadOnlyList<Proposal> Proposals) : ISearchMessage;

    /// <summary>A MANAS agent's picks for the tickets it was asked about; a joint architecture is complete once every agent picked.</summary>
    public sealed record PicksOffered(SearchId SearchId, int Agent, IReadOnlyList<AgentPick> Picks) : ISearchMessage;

    /// <summary>An entity persisted these outcomes: the coordinator stops re-sending them.</summary>
    public sealed record OutcomesAcknowledged(SearchId SearchId, string Owner, IReadOnlyList<int> Tickets) : ISearchMessage;
    /// <summary>Stops handing out work; leased trials go back to the queue and their trainers cancel them.</summary>
    public sealed record PauseSearch(SearchId SearchId, string Reason) : ISearchMessage;

    public sealed record ResumeSearch(SearchId SearchId) : ISearchMessage;

    /// <summary>Ends the search for good; in-flight trials are cancelled, results so far are kept.</summary>
    public sealed record CancelSearch(SearchId SearchId, string Reason) : ISearchMessage;

    /// <summary>Sets the trial budget (answered with the status, or <see cref="CommandRefused"/>); persisted as <c>SearchBudgetChanged</c>.</summary>
    public sealed record ChangeBudget(SearchId SearchId, int Trials, string By) : ISearchMessage;

    /// <summary>Sets the fair-share weight (answered with the status, or <see cref="CommandRefused"/>); persisted as <c>SearchPriorityChanged</c>.</summary>
    public sealed record ChangePriority(SearchId SearchId, int Priority, string By) : ISearchMessage;

    /// <summary>
    /// Enqueues a canonical architecture: the search's next proposal trains it, after any enqueued earlier (answered with
    /// the status, or <see cref="CommandRefused"/>); persisted as <c>TrialEnqueued</c>.
    /// </summary>
    public sealed record EnqueueTrial(SearchId SearchId, string Architecture, string By) : ISearchMessage;

    /// <summary>An operator's command the search cannot take (a budget below what already ran, a finished search…).</summary>
    public sealed record CommandRefused(SearchId SearchId, string Reason);

    /// <summary>Answer to a heartbeat for a lease (trial and epoch) this trainer no longer holds: stop training it.</summary>
    /// <param name="Expired">
    /// the search runs, so the lease ended without an operator's doing: it expired (the heartbeats did not arrive in time)
    /// or was revoked as hung. The trainer counts that as an infrastructure fault; a lease taken back because the search
    /// was paused, cancelled or finished (false; also every v1 message) is not.
    /// </param>
    public sealed record LeaseLost(SearchId SearchId, int TrialId, int LeaseEpoch, bool Expired = false);


    /// <summary>
    /// Expires overdue leases (by the coordinator's clock). The coordinator sends it to itself every second;
    /// a replay on simulated time sends it after each advance of its clock instead, with
    /// <paramref name="Acknowledge"/>: the <see cref="LeasesChecked"/> answer (sent once the expiries are
    /// persisted) tells the replay that everything sent to the coordinator before, heartbeats included,
    /// has been handled at this simulated time.
    /// </summary>
    public sealed record CheckLeases(SearchId SearchId, bool Acknowledge = false) : ISearchMessage;

    public sealed record LeasesChecked(SearchId SearchId, int Expired);
}

/// <summary>Whose fault a failed trial is.</summary>
public enum FailureKind
{
    /// <summary>The trial's own (it diverged, ran out of memory…): a failed trial, counted against <c>budget.max_failures</c>.</summary>
    Trial,

    /// <summary>Not the trial's (disk full, a lost file system…): the trial is handed back and re-issued, nothing counted.</summary>
    Infrastructure,

    /// <summary>The search cannot run at all (its dataset no longer matches the spec…): the trial is handed back and the search fails.</summary>
    Fatal,

    /// <summary>
    /// Not a failure: the trainer's node is draining (SIGTERM, the batch allocation ends) and stopped the trial at an
    /// epoch boundary, its checkpoint saved. The trial is handed back as "preempted" and resumes elsewhere.
    /// </summary>
    Preempted
}

/// <summary>A genotype proposed by a strategy entity under its own ticket (the entity's id for it, not a trial id).</summary>
public sealed record Proposal(int Ticket, double[] Values, long Seed);

/// <summary>One MANAS agent's choice for a ticket, with the probability it had (the agent keeps both for its update).</summary>
public sealed record AgentPick(int Ticket, int Choice, double Probability);

/// <summary>The spec of a search as stored in its journal, enough for any node to rebuild the search.</summary>
public sealed record SearchSpecData(string SpecJson, int Features, int Classes);

public enum SearchPhase
{
    NotStarted,
    Running,
    Paused,
    Finished,
    Failed,
    Cancelled
}

/// <summary>One ledger line: where a trial is in proposed → leased → completed/failed.</summary>
public sealed record TrialView(
    int TrialId,
    string Architecture,
    TrialState State,
    int Leases,
    double? Objective,
    TrialMetrics? Metrics)
{
    /// <summary>The lease epoch whose result counted (0: none, or a journal from before fencing); weights carry it in their name.</summary>
    public int LeaseEpoch { get; init; }

    /// <summary>Failed as a poison trial: <c>execution.max_attempts</c> attempts ended without a result.</summary>
    public bool Quarantined { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>Answered from the ledger with this trial's evaluation (<c>budget.cache</c>), not trained; else null.</summary>
    public int? CachedFrom { get; init; }

    /// <summary>A queued repeat waiting for this trial, the same network still training, to answer it (<c>budget.cache</c>); else null.</summary>
    public int? AwaitsTrialId { get; init; }
}

public enum TrialState
{
    Queued,
    Leased,
    Completed,
    Failed
}

/// <summary>Answer to <see cref="SearchProtocol.GetStatus"/>.</summary>
public sealed record SearchStatus(
    SearchId SearchId,
    SearchPhase Phase,
    string? Name,
    int Budget,
    int Completed,
    int Failed,
    int InFlight,
    TrialView? Best,
    SearchSpecData? Spec,
    IReadOnlyList<TrialView>? Trials,
    string? Message)
{
    /// <summary>Where a curriculum plan stands; null for a search without stages.</summary>
    public CurriculumProgress? Curriculum { get; init; }

    /// <summary>Trials answered from the ledger (<c>budget.cache</c>), not trained and not counted in <see cref="Completed"/>.</summary>
    public int Cached { get; init; }

    /// <summary>The fair-share weight trainers give the search (the spec's <c>execution.priority</c> or an operator's).</summary>
    public int Priority { get; init; }

    /// <summary>Hypervolume of the feasible completed trials for a search with two or three objectives; else null.</summary>
    public double? Hypervolume { get; init; }

    /// <summary>The reference point <see cref="Hypervolume"/> was measured against, in the objectives' own units; null with it.</summary>
    public IReadOnlyList<ReferenceValue>? HypervolumeReference { get; init; }

    /// <summary>The hypervolume with its reference point; null for a search without one. (A method, so it is not serialized.)</summary>
    public HypervolumeReport? MeasuredHypervolume() => Hypervolume is { } value ? new HypervolumeReport(value, HypervolumeReference ?? []) : null;

    /// <summary>A weight-sharing search (SPOS) still in its supernet phases (no trial is proposed meanwhile): what they do; else null.</summary>
    public string? SupernetPhase { get; init; }
}
