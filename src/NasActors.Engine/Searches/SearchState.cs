using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Curriculum;
using NasActors.Core.Trials;
using NasActors.Engine.Searches.Remote;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Searches;

/// <summary>
/// The state of one search with no actor around it: <c>Decide…</c> methods turn a command into
/// events (never changing state themselves, except advancing the strategy's proposal), and
/// <see cref="Apply"/> folds an event in. Recovery is Apply over the journal. The clock is
/// injected so lease deadlines are testable and can later run on simulated time.
/// Mutable on purpose: the ledger sits on the hot path of every trial.
/// </summary>
public sealed class SearchState(SearchId searchId, Func<DateTimeOffset> clock)
{
    private readonly Dictionary<int, LedgerEntry> _entries = new();
    private readonly SortedSet<int> _requeued = [];
    private readonly Dictionary<int, DateTimeOffset> _leaseDeadlines = new();
    private ISearchStrategy? _strategy;

    public SearchId SearchId { get; } = searchId;
    public SearchPhase Phase { get; private set; } = SearchPhase.NotStarted;
    public SearchSpecData? SpecData { get; private set; }
    public SearchDefinition? Definition { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public int NextTrialId { get; private set; } = 1;
    public int Completed { get; private set; }
    public int Failed { get; private set; }
    public int? BestTrialId { get; private set; }
    public string? Message { get; private set; }

    public int Budget => Definition?.Spec.Budget.Trials ?? 0;
    public double LeaseSeconds => Definition?.Spec.Execution.LeaseSeconds ?? 30;
    /// <summary>Proposed trials not yet completed or failed (queued or leased).</summary>
    public int InFlight { get; private set; }
    public IReadOnlyCollection<LedgerEntry> Entries => _entries.Values;
    public bool IsOver => Phase is SearchPhase.Finished or SearchPhase.Failed or SearchPhase.Cancelled;

    /// <summary>The strategy's coordinator side when it runs as entities (<c>execution.entities</c>), else null.</summary>
    public RemoteStrategy? Remote => _strategy as RemoteStrategy;

    // ---- decisions -------------------------------------------------------------------

    public IReadOnlyList<ISearchEvent> DecideStart(SearchSpecData spec) =>
        Phase == SearchPhase.NotStarted ? [new SearchStarted(SearchId.Value, spec, clock())] : [];

    /// <summary>Leases a re-queued trial, else a fresh proposal while the budget allows, else nothing.</summary>
    public IReadOnlyList<ISearchEvent> DecideWork(string trainerId)
    {
        if (Phase != SearchPhase.Running) return [];
        if (_requeued.Count > 0) return [new TrialLeased(_requeued.Min, trainerId)];
        if (Completed + InFlight >= Budget) return [];
        var request = _strategy!.Ask(NextTrialId);
        return request is null ? [] : [new TrialProposed(TrialRecord.From(request)), new TrialLeased(request.TrialId, trainerId)];
    }

    /// <summary>Buffers the proposals an entity offered that are new; nothing for known ones or a search that is not running.</summary>
    public IReadOnlyList<ISearchEvent> DecideOffered(string owner, IReadOnlyList<Proposal> offered) =>
        Phase == SearchPhase.Running && Remote is { } remote && remote.Unknown(owner, offered) is { Count: > 0 } fresh
            ? [new ProposalsBuffered(owner, fresh)]
            : [];

    /// <summary>
    /// The first outcome for a trial counts; any later one (a re-issued trial finishing twice,
    /// a retried report) is a duplicate and produces no event.
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideResult(string trainerId, int trialId, TrialMetrics metrics)
    {
        if (!IsOpen(trialId)) return [];
        var genotype = Definition!.Space.FromValues(_entries[trialId].Trial.Values);
        double objective;
        try
        {
            objective = Definition.Score(genotype, metrics);
        }
        catch (KeyNotFoundException missing)
        {
            // The evaluator did not measure what the objective needs: a failed trial, not a crashed coordinator.
            return DecideFailure(trainerId, trialId, missing.Message);
        }
        var completed = new TrialCompleted(trialId, trainerId, metrics, objective);
        if (Completed + 1 < Budget) return [completed];
        var best = BestAfter(trialId, objective);
        return [completed, new SearchFinished(best, true, $"completed {Budget} trials")];
    }

    public IReadOnlyList<ISearchEvent> DecideFailure(string trainerId, int trialId, string reason)
    {
        if (!IsOpen(trialId)) return [];
        var failed = new TrialFailed(trialId, trainerId, reason);
        var maxFailures = Definition!.Spec.Budget.MaxFailures;
        return Failed + 1 > maxFailures
            ? [failed, new SearchFinished(BestTrialId, false, $"stopped after {Failed + 1} failed trials (budget.max_failures is {maxFailures}); last error: {reason}")]
            : [failed];
    }

    public IReadOnlyList<ISearchEvent> DecideExpiredLeases() =>
        _leaseDeadlines.Where(l => l.Value <= clock()).Select(l => l.Key).Order()
            .Select(id => (ISearchEvent)new TrialLeaseExpired(id)).ToArray();

    /// <summary>Pausing hands every lease back: trainers learn it from their next heartbeat and cancel.</summary>
    public IReadOnlyList<ISearchEvent> DecidePause(string reason) =>
        Phase == SearchPhase.Running ? [new SearchPaused(reason), .. DecideReclaimAll()] : [];

    public IReadOnlyList<ISearchEvent> DecideResume() =>
        Phase == SearchPhase.Paused ? [new SearchResumed()] : [];

    public IReadOnlyList<ISearchEvent> DecideCancel(string reason) =>
        Phase is SearchPhase.Running or SearchPhase.Paused ? [new SearchCancelled(reason)] : [];

    public IReadOnlyList<ISearchEvent> DecideReclaimAll() =>
        _leaseDeadlines.Keys.Order().Select(id => (ISearchEvent)new TrialLeaseExpired(id)).ToArray();

    /// <summary>Extends a lease; only its current holder may. Not an event: deadlines are volatile.</summary>
    public bool Heartbeat(string trainerId, int trialId)
    {
        if (Phase != SearchPhase.Running) return false;
        if (!_entries.TryGetValue(trialId, out var entry) || entry.State != TrialState.Leased || entry.TrainerId != trainerId) return false;
        _leaseDeadlines[trialId] = clock().AddSeconds(LeaseSeconds);
        return true;
    }

    public TrialRecord RecordOf(int trialId) => _entries[trialId].Trial;

    // ---- events ----------------------------------------------------------------------

    public void Apply(ISearchEvent e)
    {
        switch (e)
        {
            case SearchStarted started:
                Begin(started.Spec, started.StartedAt);
                break;
            case TrialProposed proposed:
                ApplyProposed(proposed.Trial);
                break;
            case TrialLeased leased:
                var entry = _entries[leased.TrialId];
                entry.State = TrialState.Leased;
                entry.TrainerId = leased.TrainerId;
                entry.Leases++;
                _requeued.Remove(leased.TrialId);
                _leaseDeadlines[leased.TrialId] = clock().AddSeconds(LeaseSeconds);
                break;
            case TrialLeaseExpired expired:
                _entries[expired.TrialId].State = TrialState.Queued;
                _entries[expired.TrialId].TrainerId = null;
                _leaseDeadlines.Remove(expired.TrialId);
                _requeued.Add(expired.TrialId);
                break;
            case TrialCompleted completed:
                Close(completed.TrialId, TrialState.Completed, completed.TrainerId);
                _entries[completed.TrialId].Metrics = completed.Metrics;
                _entries[completed.TrialId].Objective = completed.Objective;
                Completed++;
                if (BestTrialId is null || completed.Objective > _entries[BestTrialId.Value].Objective) BestTrialId = completed.TrialId;
                _strategy!.Tell(new TrialSucceeded(completed.TrialId, completed.Metrics, completed.Objective));
                break;
            case TrialFailed failed:
                Close(failed.TrialId, TrialState.Failed, failed.TrainerId);
                _entries[failed.TrialId].FailureReason = failed.Reason;
                Failed++;
                _strategy!.Tell(new TrialFailedOutcome(failed.TrialId, failed.Reason));
                break;
            case ProposalsBuffered buffered:
                Remote!.Buffer(buffered.Owner, buffered.Proposals);
                break;
            case SearchPaused:
                Phase = SearchPhase.Paused;
                break;
            case SearchResumed:
                Phase = SearchPhase.Running;
                break;
            case SearchCancelled cancelled:
                Phase = SearchPhase.Cancelled;
                Message = $"cancelled: {cancelled.Reason}";
                _leaseDeadlines.Clear();
                break;
            case SearchFinished finished:
                Phase = finished.Succeeded ? SearchPhase.Finished : SearchPhase.Failed;
                BestTrialId = finished.BestTrialId ?? BestTrialId;
                Message = finished.Message;
                foreach (var id in _leaseDeadlines.Keys.ToArray()) _leaseDeadlines.Remove(id);
                break;
            default:
                throw new ArgumentException($"unknown search event {e.GetType().Name}");
        }
    }

    private void Begin(SearchSpecData spec, DateTimeOffset startedAt)
    {
        SpecData = spec;
        StartedAt = startedAt;
        Definition = SearchDefinition.From(SearchSpecJson.Deserialize(spec.SpecJson), new DatasetShape(spec.Features, spec.Classes));
        _strategy = Definition.Spec.Execution.Entities ? RemoteStrategy.For(SearchId, Definition, spec) : Definition.CreateStrategy();
        Phase = SearchPhase.Running;
    }

    private void ApplyProposed(TrialRecord trial)
    {
        // Live, the strategy proposed this trial in DecideWork. During replay it has not yet:
        // a strategy fed by other actors adopts the recorded trial; any other is asked again,
        // which must give the same trial because strategies are deterministic.
        if (!_strategy!.Pending.Contains(trial.TrialId) && _strategy is IAdoptsRecordedProposals adopter)
            adopter.Adopt(trial.ToRequest(Definition!.Space));
        else if (!_strategy!.Pending.Contains(trial.TrialId))
        {
            var again = _strategy.Ask(trial.TrialId);
            if (again is null || !again.Genotype.Values.SequenceEqual(trial.Values))
                throw new InvalidOperationException(
                    $"search {SearchId}: replaying trial {trial.TrialId} proposed a different architecture; the strategy's code changed since the journal was written");
        }
        _entries[trial.TrialId] = new LedgerEntry(trial);
        InFlight++;
        NextTrialId = Math.Max(NextTrialId, trial.TrialId + 1);
    }

    private bool IsOpen(int trialId) =>
        Phase is SearchPhase.Running or SearchPhase.Paused && _entries.TryGetValue(trialId, out var e) && e.State is TrialState.Queued or TrialState.Leased;

    private void Close(int trialId, TrialState state, string trainerId)
    {
        var entry = _entries[trialId];
        entry.State = state;
        InFlight--;
        entry.TrainerId = trainerId;
        _leaseDeadlines.Remove(trialId);
        _requeued.Remove(trialId);
    }

    private int? BestAfter(int trialId, double objective) =>
        BestTrialId is { } best && _entries[best].Objective >= objective ? best : trialId;

    // ---- views and snapshots ---------------------------------------------------------

    public SearchStatus ToStatus(bool includeTrials) => new(
        SearchId, Phase, Definition?.Spec.Name, Budget, Completed, Failed, InFlight,
        BestTrialId is { } b ? View(_entries[b]) : null,
        SpecData,
        includeTrials ? _entries.Values.OrderBy(e => e.Trial.TrialId).Select(View).ToArray() : null,
        Message) { Curriculum = (_strategy as CurriculumStrategy)?.Progress };

    private TrialView View(LedgerEntry e) => new(
        e.Trial.TrialId,
        Definition!.Space.FromValues(e.Trial.Values).Canonical,
        e.State, e.Leases, e.Objective, e.Metrics);

    public SearchSnapshot ToSnapshot() => new(
        SearchId.Value, Phase, SpecData, StartedAt, NextTrialId, Completed, Failed, BestTrialId, Message,
        _entries.Values.OrderBy(e => e.Trial.TrialId).Select(e => e.ToData()).ToArray(),
        _requeued.ToArray(),
        _strategy?.SaveState());

    public void Restore(SearchSnapshot snapshot)
    {
        if (snapshot.Spec is { } spec) Begin(spec, snapshot.StartedAt);
        Phase = snapshot.Phase;
        NextTrialId = snapshot.NextTrialId;
        Completed = snapshot.Completed;
        Failed = snapshot.Failed;
        BestTrialId = snapshot.BestTrialId;
        Message = snapshot.Message;
        foreach (var data in snapshot.Entries)
        {
            var entry = LedgerEntry.FromData(data);
            _entries[entry.Trial.TrialId] = entry;
            if (entry.State is TrialState.Queued or TrialState.Leased) InFlight++;
            if (entry.State == TrialState.Leased) _leaseDeadlines[entry.Trial.TrialId] = clock().AddSeconds(LeaseSeconds);
        }
        foreach (var id in snapshot.Requeued) _requeued.Add(id);
        if (snapshot.StrategyState is { } s) _strategy!.RestoreState(s);
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

    public LedgerEntryData ToData() => new(Trial, State, TrainerId, Leases, Metrics, Objective, FailureReason);

    public static LedgerEntry FromData(LedgerEntryData d) => new(d.Trial)
    {
        State = d.State, TrainerId = d.TrainerId, Leases = d.Leases, Metrics = d.Metrics, Objective = d.Objective, FailureReason = d.FailureReason
    };
}

public sealed record LedgerEntryData(
    TrialRecord Trial, TrialState State, string? TrainerId, int Leases, TrialMetrics? Metrics, double? Objective, string? FailureReason);

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
    string? StrategyState);
