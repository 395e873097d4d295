using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Curriculum;
using NasActors.Core.Strategies.Supernet;
using NasActors.Core.Trials;
using NasActors.Engine.Searches.Remote;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Searches;

/// <summary>
/// The state of one search with no actor around it: <c>Decide…</c> methods turn a command into
/// events (never changing state themselves, except advancing the strategy's proposal), and
/// <see cref="Apply"/> folds an event in. Recovery is Apply over the journal. The clock is
/// injected so lease deadlines are testable and run on simulated time in a replay; deadlines use
/// its monotonic side, so a wall-clock jump does not move them.
/// Mutable on purpose: the ledger sits on the hot path of every trial.
/// </summary>
public sealed class SearchState(SearchId searchId, SearchClock clock)
{
    private readonly Dictionary<int, LedgerEntry> _entries = new();
    private readonly SortedSet<int> _requeued = [];
    // The spec's enqueued architectures not yet proposed: the next proposals train them, in order.
    private readonly Queue<Genotype> _enqueued = new();
    private readonly Dictionary<int, LiveLease> _leases = new();
    // The live leases of each trainer (lease-ahead: the running trial and those queued behind it), so a report or a
    // work request finds what its trainer holds without scanning every lease.
    private readonly Dictionary<string, SortedSet<int>> _held = new();
    private ISearchStrategy? _strategy;
    // budget.cache: null when off.
    private EvaluationCache? _cache;
    // Trials DecideWork answered from the cache and already told the strategy (so the strategy hears outcomes in the order
    // replay gives them); applying their events must not ask or tell it again.
    private readonly HashSet<int> _answeredLive = [];
    // budget.cache: the open trials waiting for a twin still training (TrialAwaitsTwin), by that twin.
    private readonly Dictionary<int, SortedSet<int>> _awaiting = new();
    private int _awaitingCount;

    /// <summary>One clock for wall and lease time (tests, simulated time).</summary>
    public SearchState(SearchId searchId, Func<DateTimeOffset> clock) : this(searchId, SearchClock.Virtual(clock)) { }

    public SearchId SearchId { get; } = searchId;
    public SearchClock Clock => clock;
    public SearchPhase Phase { get; private set; } = SearchPhase.NotStarted;
    public SearchSpecData? SpecData { get; private set; }
    public SearchDefinition? Definition { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public int NextTrialId { get; private set; } = 1;
    public int Completed { get; private set; }
    public int Failed { get; private set; }
    /// <summary>Trials answered from the ledger (<c>budget.cache</c>): completed without training, not counted in <see cref="Completed"/>.</summary>
    public int Cached { get; private set; }
    public int? BestTrialId { get; private set; }
    public string? Message { get; private set; }

    /// <summary>The spec's trial budget, or the last one an operator set (<see cref="SearchBudgetChanged"/>).</summary>
    public int Budget => _budget ?? Definition?.Spec.Budget.Trials ?? 0;

    /// <summary>The spec's <c>execution.priority</c>, or the last one an operator set (<see cref="SearchPriorityChanged"/>).</summary>
    public int Priority => _priority ?? Definition?.Spec.Execution.Priority ?? 1;

    private int? _budget;
    private int? _priority;
    public double LeaseSeconds => Definition?.Spec.Execution.LeaseSeconds ?? 30;
    private int MaxAttempts => Definition?.Spec.Execution.MaxAttempts ?? ExecutionSpec.DefaultMaxAttempts;
    private TimeSpan? TrialTimeout => Definition?.Spec.Execution.TrialTimeoutSeconds is > 0 and var t ? TimeSpan.FromSeconds(t) : null;
    /// <summary>Proposed trials not yet completed or failed (queued or leased).</summary>
    public int InFlight { get; private set; }
    public IReadOnlyCollection<LedgerEntry> Entries => _entries.Values;
    public bool IsOver => Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled;

    /// <summary>The strategy's coordinator side when it runs as entities (<c>execution.entities</c>), else null.</summary>
    public RemoteStrategy? Remote => _strategy as RemoteStrategy;

    /// <summary>
    /// A running round-trained weight-sharing search (SPOS, DARTS) whose supernet phases have not ranked any subnet yet:
    /// the coordinator runs them and records their ranking (<see cref="DecideRanked"/>); until then no trial is proposed.
    /// </summary>
    public ITrainsSupernet? AwaitingSupernet => Phase == SearchPhase.Running && _strategy is ITrainsSupernet { Ranked: false } method ? method : null;

    // ---- decisions -------------------------------------------------------------------

    public IReadOnlyList<ISearchEvent> DecideStart(SearchSpecData spec) =>
        Phase == SearchPhase.NotStarted ? [new SearchStarted(SearchId.Value, spec, clock.Wall())] : [];

    /// <summary>Leases a re-queued trial, else a fresh proposal while the budget allows, else nothing.</summary>
    public IReadOnlyList<ISearchEvent> DecideWork(string trainerId)
    {
        if (Phase != SearchPhase.Running) return [];
        if (_requeued.Count > 0) return [new TrialLeased(_requeued.Min, trainerId, _entries[_requeued.Min].Leases + 1)];
        if (Completed + InFlight >= Budget) return [];
        // Proposals the cache answers need no trainer: the strategy is asked again, until it proposes something to train.
        var answered = new List<ISearchEvent>();
        while (true)
        {
            var trialId = NextTrialId + answered.Count / 2;
            var request = _enqueued.Skip(answered.Count / 2).FirstOrDefault() is { } fixedProposal && _strategy is IAcceptsFixedProposals taker
                ? taker.AskFor(trialId, fixedProposal)
                : _strategy!.Ask(trialId);
            if (request is null && InFlight == 0 && _strategy is IRankedBySupernet { Ranked: true })
                // Fewer ranked subnets than the budget: every one was retrained, nothing more will come.
                return [.. answered, new SearchFinished(BestTrialId, Completed > 0, $"retrained every subnet the supernet ranked ({Completed} completed, {Failed} failed)")];
            if (request is null) return answered;
            var record = TrialRecord.From(request);
            ISearchEvent? answer = AnswerFromCache(record, answered.Count / 2);
            if (answer is null && TwinInTraining(record, answered.Count / 2) is { } twin) answer = new TrialAwaitsTwin(record.TrialId, twin);
            if (answer is null) return [.. answered, new TrialProposed(record), new TrialLeased(request.TrialId, trainerId, 1)];
            answered.Add(new TrialProposed(record));
            answered.Add(answer);
        }
    }

    /// <summary>
    /// <c>budget.cache</c>: the answer for a fresh proposal whose network a completed trial already evaluated at the same
    /// fidelity, while the cap allows (<paramref name="answeredNow"/> answers were given in this decision); null: train it.
    /// The strategy hears the outcome at once, as replay will tell it right after adopting the proposal.
    /// </summary>
    private TrialCached? AnswerFromCache(TrialRecord trial, int answeredNow)
    {
        if (_cache is null || Cached + _awaitingCount + answeredNow >= _cache.Cap || _cache.SourceOf(trial) is not { } sourceId) return null;
        var source = _entries[sourceId];
        var objective = Definition!.Score(Definition.Space.FromValues(trial.Values), source.Metrics!);
        _strategy!.Tell(new TrialSucceeded(trial.TrialId, source.Metrics!, objective));
        _answeredLive.Add(trial.TrialId);
        return new TrialCached(trial.TrialId, sourceId, objective);
    }

    /// <summary>
    /// <c>budget.cache</c>: an open trial that trains <paramref name="trial"/>'s network at its fidelity now (leased, or queued
    /// to be leased again), while the cap allows one more answer; null: none, train it. The candidates are the in-flight trials,
    /// not the whole ledger, so this stays cheap on long searches.
    /// </summary>
    private int? TwinInTraining(TrialRecord trial, int answeredNow)
    {
        if (_cache is null || Cached + _awaitingCount + answeredNow >= _cache.Cap) return null;
        return FirstInTraining(trial);
    }

    /// <summary>The lowest open trial (leased, or queued to be leased) that trains <paramref name="trial"/>'s network, if any.</summary>
    private int? FirstInTraining(TrialRecord trial) =>
        _leases.Keys.Concat(_requeued).Where(id => _cache!.SameNetwork(_entries[id].Trial, trial)).Order().Cast<int?>().FirstOrDefault();

    /// <summary>The <see cref="TrialCached"/> answers for the trials waiting for <paramref name="twinId"/>, which completed with <paramref name="metrics"/>.</summary>
    private IEnumerable<ISearchEvent> AnswersForWaitersOf(int twinId, TrialMetrics metrics) =>
        _awaiting.TryGetValue(twinId, out var waiters)
            ? waiters.Select(id => new TrialCached(id, twinId, Definition!.Score(Definition.Space.FromValues(_entries[id].Trial.Values), metrics)))
            : [];

    /// <summary>The supernet phases' ranking, recorded once while the search awaits it; nothing otherwise (a late or repeated report).</summary>
    public IReadOnlyList<ISearchEvent> DecideRanked(IReadOnlyList<Supernets.RankedSubnet> ranking, Supernets.SupernetRunStats stats) =>
        AwaitingSupernet is not null ? [new SubnetsRanked(ranking, stats)] : [];

    /// <summary>Buffers the proposals an entity offered that are new; nothing for known ones or a search that is not running.</summary>
    public IReadOnlyList<ISearchEvent> DecideOffered(string owner, IReadOnlyList<Proposal> offered) =>
        Phase == SearchPhase.Running && Remote is { } remote && remote.Unknown(owner, offered) is { Count: > 0 } fresh
            ? [new ProposalsBuffered(owner, fresh)]
            : [];

    /// <summary>
    /// Whether a report about this lease counts: the trial is still open and <paramref name="leaseEpoch"/> is its
    /// latest lease, live or expired and not yet re-leased. A report of an older epoch (a zombie that lost its
    /// lease, a retried report of a trial already closed) changes nothing.
    /// </summary>
    public bool IsCurrentLease(int trialId, int leaseEpoch) => IsOpen(trialId) && _entries[trialId].Leases == leaseEpoch;

    /// <summary>
    /// The result of the trial's current lease counts; any other (a stale epoch, a retried report) is a
    /// duplicate and produces no event. Metrics that are not finite make it a failed trial naming the metric.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideResult(string trainerId, int trialId, int leaseEpoch, TrialMetrics metrics)
    {
        if (!IsCurrentLease(trialId, leaseEpoch)) return [];
        if (MetricChecks.FirstNonFinite(metrics) is { } bad) return DecideFailure(trainerId, trialId, leaseEpoch, bad);
        var genotype = Definition!.Space.FromValues(_entries[trialId].Trial.Values);
        double objective;
        try
        {
            objective = Definition.Score(genotype, metrics);
        }
        catch (KeyNotFoundException missing)
        {
            // The evaluator did not measure what the objective needs: a failed trial, not a crashed coordinator.
            return DecideFailure(trainerId, trialId, leaseEpoch, missing.Message);
        }
        if (MetricChecks.NonFinite($"objective ({Definition.Spec.Objective.Metric})", objective) is { } badObjective)
            return DecideFailure(trainerId, trialId, leaseEpoch, badObjective);
        var completed = new TrialCompleted(trialId, trainerId, metrics, objective, leaseEpoch);
        // Trials waiting for this one are answered in the same write (they count in InFlight, so the budget is not met before).
        ISearchEvent[] outcome = [completed, .. AnswersForWaitersOf(trialId, metrics)];
        if (Completed + 1 < Budget) return outcome;
        var best = BestAfter(trialId, objective);
        return [.. outcome, new SearchFinished(best, true, $"completed {Budget} trials")];
    }

    /// <summary>
    /// A failure report of the trial's current lease. The trial's own fault fails it (and the search past
    /// <c>budget.max_failures</c>); an infrastructure fault hands it back uncounted; a fatal one hands it back
    /// and fails the search, which cannot run.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideFailure(string trainerId, int trialId, int leaseEpoch, string reason, FailureKind kind = FailureKind.Trial)
    {
        var current = IsCurrentLease(trialId, leaseEpoch);
        if (kind == FailureKind.Fatal)
        {
            if (Phase is not (SearchPhase.Running or SearchPhase.Paused)) return [];
            var message = $"the search cannot run (trainer {trainerId}): {reason}";
            return current
                ? [new TrialHandedBack(trialId, leaseEpoch, $"fatal: {reason}"), new SearchFinished(BestTrialId, false, message)]
                : [new SearchFinished(BestTrialId, false, message)];
        }
        if (!current) return [];
        if (kind == FailureKind.Infrastructure) return DecideHandBack(trialId, leaseEpoch, $"infrastructure: {reason}");
        if (kind == FailureKind.Preempted) return DecideHandBack(trialId, leaseEpoch, "preempted");
        return WithFailureBudget([new TrialFailed(trialId, trainerId, reason)], 1, reason);
    }

    /// <summary>
    /// Gives a live lease back without counting an attempt or a failure (an infrastructure fault; a drained or
    /// preempted trainer): the trial is queued again. Nothing for a lease that is not the trial's live one.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideHandBack(int trialId, int leaseEpoch, string reason) =>
        IsCurrentLease(trialId, leaseEpoch) && _entries[trialId].State == TrialState.Leased ? [new TrialHandedBack(trialId, leaseEpoch, reason)] : [];

    /// <summary>Leases past their deadline, and (with <c>execution.trial_timeout</c>) leases whose trial made no progress for that long.</summary>
    public IReadOnlyList<ISearchEvent> DecideExpiredLeases()
    {
        var now = clock.Monotonic();
        return DecideLostAttempts(_leases.Where(l => l.Value.Deadline <= now).Select(l => l.Key).Concat(HungTrials()).Distinct());
    }

    /// <summary>Leased trials whose progress stood still for <c>execution.trial_timeout</c>: their leases get revoked.</summary>
    public IReadOnlyList<int> HungTrials()
    {
        if (TrialTimeout is not { } timeout) return [];
        var now = clock.Monotonic();
        return _leases.Where(l => now - l.Value.ProgressAt >= timeout).Select(l => l.Key).Order().ToArray();
    }

    /// <summary>Pausing hands every lease back (not the trials' fault): trainers learn it from their next heartbeat and cancel.</summary>
    public IReadOnlyList<ISearchEvent> DecidePause(string reason) =>
        Phase == SearchPhase.Running
            ? [new SearchPaused(reason), .. _leases.Keys.Order().SelectMany(id => DecideHandBack(id, _entries[id].Leases, "paused"))]
            : [];

    public IReadOnlyList<ISearchEvent> DecideResume() =>
        Phase == SearchPhase.Paused ? [new SearchResumed()] : [];

    /// <summary>
    /// A new trial budget for a running or paused search. It must exceed the completed trials and cover the in-flight
    /// ones: those already ran or run now (cancel the search to stop it).
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideBudget(int trials, string by)
    {
        if (Phase is not (SearchPhase.Running or SearchPhase.Paused))
            throw new SearchCommandRefused($"search {SearchId} is {Phase.ToString().ToLowerInvariant()}: its budget can no longer change");
        if (trials < Math.Max(Completed + 1, Completed + InFlight))
            throw new SearchCommandRefused($"budget {trials} is below the {Completed} completed and {InFlight} in-flight trials of search {SearchId}");
        return trials == Budget ? [] : [new SearchBudgetChanged(trials, by)];
    }

    /// <summary>
    /// An architecture for a coming trial of a running or paused search; refused when the text is not one of the space's
    /// canonical architectures, the strategy cannot take fixed proposals, or the budget leaves no trial for it.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideEnqueue(string architecture, string by)
    {
        if (Phase is not (SearchPhase.Running or SearchPhase.Paused))
            throw new SearchCommandRefused($"search {SearchId} is {Phase.ToString().ToLowerInvariant()}: it trains nothing more");
        if (_strategy is not IAcceptsFixedProposals || Remote is not null)
            throw new SearchCommandRefused($"search {SearchId}'s strategy ('{Definition!.Spec.Strategy.Name}'{(Remote is null ? " in a curriculum" : " run as entities")}) cannot take fixed proposals");
        if (Completed + InFlight + _enqueued.Count >= Budget)
            throw new SearchCommandRefused($"search {SearchId} has no trial left for it ({Completed} completed, {InFlight} in flight, {_enqueued.Count} enqueued of a budget of {Budget}); raise the budget first (search budget)");
        try
        {
            return [new TrialEnqueued(CanonicalParser.Parse(Definition!.Space, architecture).Values.ToArray(), by)];
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new SearchCommandRefused($"'{architecture}' is not an architecture of search {SearchId}'s space: {e.Message}");
        }
    }

    /// <summary>A new fair-share weight (≥ 1) for a running or paused search.</summary>
    public IReadOnlyList<ISearchEvent> DecidePriority(int priority, string by)
    {
        if (Phase is not (SearchPhase.Running or SearchPhase.Paused))
            throw new SearchCommandRefused($"search {SearchId} is {Phase.ToString().ToLowerInvariant()}: its priority can no longer change");
        if (priority <= 0) throw new SearchCommandRefused($"priority {priority} is not a positive whole number");
        return priority == Priority ? [] : [new SearchPriorityChanged(priority, by)];
    }

    public IReadOnlyList<ISearchEvent> DecideCancel(string reason) =>
        Phase is SearchPhase.Running or SearchPhase.Paused ? [new SearchCancelled(reason)] : [];

    /// <summary>Start-up of a single process: every lease belonged to a process that died, each an attempt without a result.</summary>
    public IReadOnlyList<ISearchEvent> DecideReclaimAll() => DecideLostAttempts(_leases.Keys);

    /// <summary>
    /// The node of these trainers left the cluster, so their live leases can only expire: revoke them now and queue the
    /// trials again. A node that left cleanly (drained or told to leave) hands them back, an attempt that does not count;
    /// a node that was downed (killed, unreachable) loses them as an expiry would, counting towards
    /// <c>execution.max_attempts</c>, since the trial may be what killed it.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideTrainersLeft(IReadOnlySet<string> trainerIds, bool cleanly, string reason)
    {
        var held = _leases.Keys.Where(id => IsOpen(id) && _entries[id].TrainerId is { } holder && trainerIds.Contains(holder)).Order().ToArray();
        return cleanly
            ? held.SelectMany(id => DecideHandBack(id, _entries[id].Leases, reason)).ToArray()
            : DecideLostAttempts(held);
    }

    /// <summary>
    /// Attempts that ended without a result: each lease expires, and a trial whose attempts reach
    /// <c>execution.max_attempts</c> is quarantined (failed) instead of re-queued, so a trial that kills its
    /// process cannot loop forever, across restarts too (attempts are counted from the journal).
    /// </summary>
    private IReadOnlyList<ISearchEvent> DecideLostAttempts(IEnumerable<int> trialIds)
    {
        var events = new List<ISearchEvent>();
        var quarantined = 0;
        string? reason = null;
        foreach (var id in trialIds.Order())
        {
            events.Add(new TrialLeaseExpired(id));
            var attempts = _entries[id].LostAttempts + 1;
            if (attempts < MaxAttempts) continue;
            reason = $"quarantined as a poison trial: {attempts} attempts ended without a result (lease expired/process died)";
            events.Add(new TrialQuarantined(id, attempts, reason));
            quarantined++;
        }
        return quarantined == 0 ? events : WithFailureBudget(events, quarantined, reason!);
    }

    /// <summary>Adds the search's failure when <paramref name="newFailures"/> more failed trials pass <c>budget.max_failures</c>.</summary>
    private IReadOnlyList<ISearchEvent> WithFailureBudget(List<ISearchEvent> events, int newFailures, string lastReason)
    {
        var maxFailures = Definition!.Spec.Budget.MaxFailures;
        if (Failed + newFailures > maxFailures)
            events.Add(new SearchFinished(BestTrialId, false,
                $"stopped after {Failed + newFailures} failed trials (budget.max_failures is {maxFailures}); last error: {lastReason}"));
        return events;
    }

    /// <summary>
    /// Extends a lease; only its current holder (trainer and epoch) may. Not an event: deadlines are volatile.
    /// A changed <paramref name="progress"/> restarts the trial's <c>execution.trial_timeout</c>.
    /// </summary>
    public bool Heartbeat(string trainerId, int trialId, int leaseEpoch, TrialProgress? progress = null)
    {
        if (Phase != SearchPhase.Running) return false;
        if (!_entries.TryGetValue(trialId, out var entry) || entry.State != TrialState.Leased || entry.TrainerId != trainerId || entry.Leases != leaseEpoch)
            return false;
        var lease = _leases[trialId];
        var now = clock.Monotonic();
        var deadline = now + TimeSpan.FromSeconds(LeaseSeconds);
        lease.Deadline = deadline;
        if (progress is not null && progress != lease.Progress)
        {
            lease.Progress = progress;
            lease.ProgressAt = now;
        }
        // The trainer's queued leases live as long as it does; they wait, so they are not hung either.
        foreach (var queued in _held[trainerId])
            if (queued != trialId)
            {
                _leases[queued].Deadline = deadline;
                _leases[queued].ProgressAt = now;
            }
        return true;
    }

    /// <summary>
    /// Whether a trainer may take a trial to queue behind its running one (lease-ahead): only while the budget leaves more trials
    /// unleased than there are <paramref name="trainers"/> (those seen, at least those holding leases), so near the end no trial
    /// waits in a queue while another trainer idles.
    /// </summary>
    public bool MayQueue(int trainers) => Budget - Completed - InFlight > Math.Max(trainers, _held.Count);

    /// <summary>The live leases a trainer holds (its running trial and any queued behind it), in trial order.</summary>
    public IReadOnlyCollection<int> HeldBy(string trainerId) => _held.TryGetValue(trainerId, out var held) ? held : [];

    public TrialRecord RecordOf(int trialId) => _entries[trialId].Trial;

    /// <summary>The latest lease epoch of a trial (its number of leases).</summary>
    public int LeaseEpochOf(int trialId) => _entries[trialId].Leases;

    // ---- events ----------------------------------------------------------------------

    /// <summary>
    /// Folds one event in. Every case looks up and checks what it needs before changing anything, so an event
    /// that does not fit (a corrupt journal, a bug) throws with the state untouched.
    /// </summary>
    public void Apply(ISearchEvent e)
    {
        switch (e)
        {
            case SearchStarted started:
                Begin(started.Spec, started.StartedAt);
                // Taught once, here: a snapshot's strategy state already holds what they taught.
                if (_strategy is IWarmStartable warm)
                    foreach (var (known, outcome) in Definition!.KnownOutcomes()) warm.WarmStart(known, outcome);
                foreach (var genotype in Definition!.Enqueued()) _enqueued.Enqueue(genotype);
                break;
            case TrialProposed proposed:
                ApplyProposed(proposed.Trial);
                break;
            case TrialLeased leased:
            {
                var entry = _entries[leased.TrialId];
                // Journals from before fencing carry no epoch: the nth lease is epoch n.
                var epoch = leased.LeaseEpoch > 0 ? leased.LeaseEpoch : entry.Leases + 1;
                if (epoch != entry.Leases + 1)
                    throw new InvalidOperationException($"search {SearchId}: trial {leased.TrialId} leased with epoch {epoch} after {entry.Leases} lease(s)");
                entry.State = TrialState.Leased;
                entry.TrainerId = leased.TrainerId;
                entry.Leases = epoch;
                _requeued.Remove(leased.TrialId);
                _leases[leased.TrialId] = LiveLease.Start(clock.Monotonic(), LeaseSeconds);
                Hold(leased.TrainerId, leased.TrialId);
                break;
            }
            case TrialLeaseExpired expired:
                Requeue(_entries[expired.TrialId]).LostAttempts++;
                break;
            case TrialHandedBack handedBack:
                Requeue(_entries[handedBack.TrialId]);
                break;
            case TrialCompleted completed:
            {
                var entry = _entries[completed.TrialId];
                Close(completed.TrialId, TrialState.Completed, completed.TrainerId);
                entry.Metrics = completed.Metrics;
                entry.Objective = completed.Objective;
                entry.CountedEpoch = completed.LeaseEpoch;
                Completed++;
                if (BestTrialId is null || completed.Objective > _entries[BestTrialId.Value].Objective) BestTrialId = completed.TrialId;
                _cache?.Evaluated(entry.Trial);
                _strategy!.Tell(new TrialSucceeded(completed.TrialId, completed.Metrics, completed.Objective));
                break;
            }
            case TrialCached cached:
                ApplyCached(cached);
                break;
            case TrialAwaitsTwin awaits:
                ApplyAwaits(awaits.TrialId, awaits.TwinTrialId);
                break;
            case TrialFailed failed:
                _entries[failed.TrialId].FailureReason = failed.Reason;
                Close(failed.TrialId, TrialState.Failed, failed.TrainerId);
                PassOnWaitersOf(failed.TrialId);
                Failed++;
                _strategy!.Tell(new TrialFailedOutcome(failed.TrialId, failed.Reason));
                break;
            case TrialQuarantined quarantined:
            {
                var entry = _entries[quarantined.TrialId];
                Close(quarantined.TrialId, TrialState.Failed, entry.TrainerId ?? "");
                PassOnWaitersOf(quarantined.TrialId);
                entry.FailureReason = quarantined.Reason;
                entry.Quarantined = true;
                Failed++;
                _strategy!.Tell(new TrialFailedOutcome(quarantined.TrialId, quarantined.Reason));
                break;
            }
            case ProposalsBuffered buffered:
                Remote!.Buffer(buffered.Owner, buffered.Proposals);
                break;
            case SubnetsRanked ranked:
            {
                if (_strategy is not IRankedBySupernet target)
                    throw new InvalidOperationException($"search {SearchId}: a supernet ranking for a strategy that takes none");
                var genotypes = ranked.Ranking.Select(r => Definition!.Space.FromValues(r.Values)).ToArray();
                target.Rank(genotypes);
                break;
            }
            case SearchPaused:
                Phase = SearchPhase.Paused;
                break;
            case SearchResumed:
                Phase = SearchPhase.Running;
                break;
            case SearchBudgetChanged budget:
                _budget = budget.Trials;
                break;
            case SearchPriorityChanged priority:
                _priority = priority.Priority;
                break;
            case TrialEnqueued enqueued:
                _enqueued.Enqueue(Definition!.Space.FromValues(enqueued.Values));
                break;
            case SearchCancelled cancelled:
                Phase = SearchPhase.Cancelled;
                Message = $"cancelled: {cancelled.Reason}";
                _leases.Clear();
                _held.Clear();
                break;
            case SearchFinished finished:
                Phase = finished.Succeeded ? SearchPhase.Finished : SearchPhase.Failed;
                BestTrialId = finished.BestTrialId ?? BestTrialId;
                Message = finished.Message;
                _leases.Clear();
                _held.Clear();
                break;
            default:
                throw new ArgumentException($"unknown search event {e.GetType().Name}");
        }
    }

    /// <summary>Puts a trial whose lease ended without a result back in the queue.</summary>
    private LedgerEntry Requeue(LedgerEntry entry)
    {
        Release(entry);
        entry.State = TrialState.Queued;
        entry.TrainerId = null;
        _leases.Remove(entry.Trial.TrialId);
        _requeued.Add(entry.Trial.TrialId);
        return entry;
    }

    private void Begin(SearchSpecData spec, DateTimeOffset startedAt)
    {
        SpecData = spec;
        StartedAt = startedAt;
        Definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
        _strategy = Definition.Spec.Execution.Entities ? RemoteStrategy.For(SearchId, Definition, spec) : Definition.CreateStrategy();
        _cache = Definition.Spec.Budget.Cache && Remote is null ? new EvaluationCache(Definition.Space, Definition.Spec.Budget.CacheCap) : null;
        Phase = SearchPhase.Running;
    }

    /// <summary>A proposal answered from the ledger: completed with its source's metrics, never leased, not counted in the budget.</summary>
    private void ApplyCached(TrialCached cached)
    {
        var source = _entries[cached.SourceTrialId];
        var entry = _entries[cached.TrialId];
        if (source is not { State: TrialState.Completed, CachedFrom: null, Metrics: not null } || entry.State != TrialState.Queued || entry.Leases != 0)
            throw new InvalidOperationException($"search {SearchId}: trial {cached.TrialId} answered from trial {cached.SourceTrialId}, which is not a trained, completed trial, or it was leased");
        Close(cached.TrialId, TrialState.Completed, trainerId: "");
        StopWaiting(entry);
        entry.TrainerId = null;
        entry.Metrics = source.Metrics;
        entry.Objective = cached.Objective;
        entry.CachedFrom = cached.SourceTrialId;
        Cached++;
        if (BestTrialId is null || cached.Objective > _entries[BestTrialId.Value].Objective) BestTrialId = cached.TrialId;
        // Live, DecideWork told the strategy already; replay tells it here, right after adopting the proposal, in the same order.
        if (!_answeredLive.Remove(cached.TrialId)) _strategy!.Tell(new TrialSucceeded(cached.TrialId, source.Metrics, cached.Objective));
    }

    private void ApplyAwaits(int trialId, int twinId)
    {
        var entry = _entries[trialId];
        if (entry.State != TrialState.Queued || entry.Leases != 0 || _requeued.Contains(trialId) || !IsOpen(twinId) || _entries[twinId].AwaitsTrialId is not null)
            throw new InvalidOperationException($"search {SearchId}: trial {trialId} waits for trial {twinId}, which is not a trial in training, or it was leased");
        Await(entry, twinId);
    }

    private void Await(LedgerEntry entry, int twinId)
    {
        entry.AwaitsTrialId = twinId;
        if (!_awaiting.TryGetValue(twinId, out var waiters)) _awaiting[twinId] = waiters = [];
        waiters.Add(entry.Trial.TrialId);
        _awaitingCount++;
    }

    private void StopWaiting(LedgerEntry entry)
    {
        if (entry.AwaitsTrialId is not { } twin) return;
        _awaiting[twin].Remove(entry.Trial.TrialId);
        if (_awaiting[twin].Count == 0) _awaiting.Remove(twin);
        entry.AwaitsTrialId = null;
        _awaitingCount--;
    }

    /// <summary>
    /// A trial that others waited for failed for good: they wait for another trial training the same network if there is one,
    /// else the first of them is queued to train (never leased yet: its first lease is epoch 1) and the rest wait for it.
    /// Part of applying the failure, so replay and a snapshot's restore agree.
    /// </summary>
    private void PassOnWaitersOf(int twinId)
    {
        if (!_awaiting.TryGetValue(twinId, out var waiting)) return;
        var waiters = waiting.ToArray();
        foreach (var id in waiters) StopWaiting(_entries[id]);
        var other = FirstInTraining(_entries[twinId].Trial); // the twin itself is closed: no longer among them
        var next = other ?? waiters[0];
        if (other is null) _requeued.Add(next);
        foreach (var id in waiters.Where(id => id != next)) Await(_entries[id], next);
    }

    private void ApplyProposed(TrialRecord trial)
    {
        // Live, the strategy proposed this trial in DecideWork. During replay it has not yet: a strategy that
        // adopts recorded decisions (every StrategyBase, and those fed by other actors) takes the recorded trial;
        // any other is asked again, which must give the same trial because strategies are deterministic.
        if (_answeredLive.Contains(trial.TrialId))
        {
            // Proposed and answered from the cache in DecideWork: the strategy has it already.
        }
        else if (!_strategy!.Pending.Contains(trial.TrialId) && _strategy is IAdoptsRecordedProposals adopter)
            adopter.Adopt(trial.ToRequest(Definition!.Space));
        else if (!_strategy!.Pending.Contains(trial.TrialId))
        {
            var again = _strategy.Ask(trial.TrialId);
            if (again is null || !again.Genotype.Values.SequenceEqual(trial.Values))
                throw new InvalidOperationException(
                    $"search {SearchId}: replaying trial {trial.TrialId} proposed a different architecture; the strategy's code changed since the journal was written");
        }
        // While architectures are enqueued, the next proposal is the first of them (DecideWork makes it so).
        if (_enqueued.TryPeek(out var head) && head.Values.SequenceEqual(trial.Values)) _enqueued.Dequeue();
        _entries[trial.TrialId] = new LedgerEntry(trial);
        InFlight++;
        NextTrialId = Math.Max(NextTrialId, trial.TrialId + 1);
    }

    private bool IsOpen(int trialId) =>
        Phase is SearchPhase.Running or SearchPhase.Paused && _entries.TryGetValue(trialId, out var e) && e.State is TrialState.Queued or TrialState.Leased;

    private void Close(int trialId, TrialState state, string trainerId)
    {
        var entry = _entries[trialId];
        Release(entry);
        entry.State = state;
        InFlight--;
        entry.TrainerId = trainerId;
        _leases.Remove(trialId);
        _requeued.Remove(trialId);
    }

    private void Hold(string trainerId, int trialId)
    {
        if (!_held.TryGetValue(trainerId, out var held)) _held[trainerId] = held = [];
        held.Add(trialId);
    }

    /// <summary>The entry's live lease, if any, is no longer its trainer's.</summary>
    private void Release(LedgerEntry entry)
    {
        if (entry.State != TrialState.Leased || entry.TrainerId is not { } trainer || !_held.TryGetValue(trainer, out var held)) return;
        held.Remove(entry.Trial.TrialId);
        if (held.Count == 0) _held.Remove(trainer);
    }

    private int? BestAfter(int trialId, double objective) =>
        BestTrialId is { } best && _entries[best].Objective >= objective ? best : trialId;

    // ---- views and snapshots ---------------------------------------------------------

    public SearchStatus ToStatus(bool includeTrials) => new(
        SearchId, Phase, Definition?.Spec.Name, Budget, Completed, Failed, InFlight,
        BestTrialId is { } b ? View(_entries[b]) : null,
        SpecData,
        includeTrials ? _entries.Values.OrderBy(e => e.Trial.TrialId).Select(View).ToArray() : null,
        Message)
    {
        Priority = Priority,
        Cached = Cached,
        Curriculum = (_strategy as CurriculumStrategy)?.Progress,
        SupernetPhase = AwaitingSupernet is { } spos
            ? $"{spos.Method}: training the supernet ({spos.RoundOptions.Rounds} rounds on {spos.RoundOptions.Workers} workers), then ranking subnets with its weights"
            : null,
        Hypervolume = CurrentHypervolume()?.Value,
        HypervolumeReference = CurrentHypervolume()?.Reference
    };

    // Status is asked for often (every work request's status reply, the dashboard, `nas status`) and the exact
    // hypervolume is not cheap, so it is computed once per number of completed trials.
    private (int Completed, HypervolumeReport? Value)? _hypervolume;

    private HypervolumeReport? CurrentHypervolume()
    {
        if (_hypervolume is { } cached && cached.Completed == Completed) return cached.Value;
        var value = Definition?.Hypervolume(_entries.Values
            .Where(e => e.State == TrialState.Completed && e.Metrics is not null)
            .Select(e => (Definition.Space.FromValues(e.Trial.Values), e.Metrics!)));
        _hypervolume = (Completed, value);
        return value;
    }

    private TrialView View(LedgerEntry e) => new(
        e.Trial.TrialId,
        Definition!.Space.FromValues(e.Trial.Values).Canonical,
        e.State, e.Leases, e.Objective, e.Metrics) { LeaseEpoch = e.CountedEpoch, Quarantined = e.Quarantined, FailureReason = e.FailureReason, CachedFrom = e.CachedFrom,
        AwaitsTrialId = e.AwaitsTrialId };

    public SearchSnapshot ToSnapshot() => new(
        SearchId.Value, Phase, SpecData, StartedAt, NextTrialId, Completed, Failed, BestTrialId, Message,
        _entries.Values.OrderBy(e => e.Trial.TrialId).Select(e => e.ToData()).ToArray(),
        _requeued.ToArray(),
        _strategy?.SaveState())
    {
        BudgetOverride = _budget,
        PriorityOverride = _priority,
        Enqueued = _enqueued.Select(g => g.Values.ToArray()).ToArray()
    };

    public void Restore(SearchSnapshot snapshot)
    {
        if (snapshot.Spec is { } spec) Begin(spec, snapshot.StartedAt);
        Phase = snapshot.Phase;
        NextTrialId = snapshot.NextTrialId;
        Completed = snapshot.Completed;
        Failed = snapshot.Failed;
        BestTrialId = snapshot.BestTrialId;
        Message = snapshot.Message;
        _budget = snapshot.BudgetOverride;
        _priority = snapshot.PriorityOverride;
        foreach (var data in snapshot.Entries)
        {
            var entry = LedgerEntry.FromData(data);
            _entries[entry.Trial.TrialId] = entry;
            if (entry.CachedFrom is not null) Cached++;
            else if (entry.State == TrialState.Completed) _cache?.Evaluated(entry.Trial);
            if (entry.State is TrialState.Queued or TrialState.Leased) InFlight++;
            if (entry.State == TrialState.Leased)
            {
                _leases[entry.Trial.TrialId] = LiveLease.Start(clock.Monotonic(), LeaseSeconds);
                if (entry.TrainerId is { } holder) Hold(holder, entry.Trial.TrialId);
            }
        }
        foreach (var id in snapshot.Requeued) _requeued.Add(id);
        foreach (var entry in _entries.Values.Where(e => e.AwaitsTrialId is not null && e.State == TrialState.Queued).OrderBy(e => e.Trial.TrialId).ToArray())
        {
            var twin = entry.AwaitsTrialId!.Value;
            entry.AwaitsTrialId = null;
            Await(entry, twin);
        }
        if (snapshot.StrategyState is { } s) _strategy!.RestoreState(s);
        // Snapshots before v4 hold no queue: then only the spec's enqueued architectures can be waiting, and as they are the
        // search's first proposals, those beyond the ledger are still to come.
        if (snapshot.Enqueued is { } queue)
            foreach (var values in queue) _enqueued.Enqueue(Definition!.Space.FromValues(values));
        else if (Definition is { } definition)
            foreach (var genotype in definition.Enqueued().Skip(_entries.Count)) _enqueued.Enqueue(genotype);
    }
}

/// <summary>Mutable ledger line owned by <see cref="SearchState"/>.</summary>
public sealed class LedgerEntry(TrialRecord trial)
{
    public TrialRecord Trial { get; } = trial;
    public TrialState State { get; set; } = TrialState.Queued;
    public string? TrainerId { get; set; }
    public int Leases { get; set; }
    public TrialMetrics? Metrics { get; set; }
    public double? Objective { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>Attempts that ended without a result (expired or reclaimed leases); <c>execution.max_attempts</c> caps them.</summary>
    public int LostAttempts { get; set; }
    /// <summary>The lease epoch whose result counted.</summary>
    public int CountedEpoch { get; set; }
    public bool Quarantined { get; set; }
    /// <summary>The trained trial whose evaluation answered this one (<c>budget.cache</c>); null for a trial that trains.</summary>
    public int? CachedFrom { get; set; }
    /// <summary>The trial still training this one's network, whose result will answer it (<c>budget.cache</c>); null otherwise.</summary>
    public int? AwaitsTrialId { get; set; }

    public LedgerEntryData ToData() => new(Trial, State, TrainerId, Leases, Metrics, Objective, FailureReason, LostAttempts, CountedEpoch, Quarantined)
    {
        CachedFrom = CachedFrom,
        AwaitsTrialId = AwaitsTrialId
    };

    public static LedgerEntry FromData(LedgerEntryData d) => new(d.Trial)
    {
        State = d.State, TrainerId = d.TrainerId, Leases = d.Leases, Metrics = d.Metrics, Objective = d.Objective, FailureReason = d.FailureReason,
        LostAttempts = d.LostAttempts, CountedEpoch = d.CountedEpoch, Quarantined = d.Quarantined, CachedFrom = d.CachedFrom,
        AwaitsTrialId = d.AwaitsTrialId
    };
}

/// <summary>
/// A ledger line in a snapshot. <c>search-snapshot.v1</c> had no <see cref="LostAttempts"/>, <see cref="CountedEpoch"/>
/// or <see cref="Quarantined"/>; the serializer derives them (see <see cref="FromV1"/>).
/// </summary>
public sealed record LedgerEntryData(
    TrialRecord Trial, TrialState State, string? TrainerId, int Leases, TrialMetrics? Metrics, double? Objective, string? FailureReason,
    int LostAttempts, int CountedEpoch, bool Quarantined)
{
    /// <summary>The trial whose evaluation answered this one (<c>budget.cache</c>, <c>search-snapshot.v5</c>); null in older snapshots.</summary>
    public int? CachedFrom { get; init; }

    /// <summary>The twin still training this trial's network (<c>budget.cache</c>, <c>search-snapshot.v6</c>); null in older snapshots.</summary>
    public int? AwaitsTrialId { get; init; }

    /// <summary>
    /// Before fencing every lease ended in an expiry, a report, or is still live; so the attempts lost are the
    /// leases minus the one that reported or still runs. No epoch counted (0), like <c>trial-completed.v1</c>.
    /// </summary>
    public LedgerEntryData FromV1() => this with
    {
        LostAttempts = Math.Max(0, Leases - (State is TrialState.Leased or TrialState.Completed or TrialState.Failed ? 1 : 0)),
        CountedEpoch = 0
    };
}

/// <summary>Snapshot of a search (versioned by the serializer like events).</summary>
public sealed record SearchSnapshot(
    string SearchId,
    SearchPhase Phase,
    SearchSpecData? Spec,
    DateTimeOffset StartedAt,
    int NextTrialId,
    int Completed,
    int Failed,
    int? BestTrialId,
    string? Message,
    IReadOnlyList<LedgerEntryData> Entries,
    IReadOnlyList<int> Requeued,
    string? StrategyState)
{
    /// <summary>The operator's trial budget, if one was set (<c>search-snapshot.v3</c>; null in older snapshots).</summary>
    public int? BudgetOverride { get; init; }

    /// <summary>The operator's priority, if one was set (<c>search-snapshot.v3</c>; null in older snapshots).</summary>
    public int? PriorityOverride { get; init; }

    /// <summary>Enqueued architectures not yet proposed, in order (<c>search-snapshot.v4</c>; null in older snapshots).</summary>
    public IReadOnlyList<double[]>? Enqueued { get; init; }
}
