using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Searches;

/// <summary>
/// Persistent, sharded entity (one per search): owns the spec, the trial ledger, the strategy
/// and the leases. Thin on purpose: decisions and state live in <see cref="SearchState"/>;
/// this actor persists their events and only then replies, so a trainer never hears
/// "accepted" for a result that is not in the journal.
/// </summary>
public sealed class SearchCoordinator : ReceivePersistentActor, IWithTimers
{
    public const string PersistencePrefix = "search";
    private static readonly TimeSpan DefaultLeaseCheckInterval = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _leaseCheckInterval;
    private readonly SearchState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _eventsSinceSnapshot;

    /// <param name="clock">the time leases are measured in (wall time by default; a replay passes its virtual clock)</param>
    /// <param name="leaseCheckInterval">
    /// how often (wall time) the coordinator checks its leases itself; <see cref="TimeSpan.Zero"/> turns the timer off
    /// for callers that send <see cref="CheckLeases"/> themselves (a replay, after each advance of its clock)
    /// </param>
    public SearchCoordinator(string searchId, Func<DateTimeOffset>? clock = null, TimeSpan? leaseCheckInterval = null)
    {
        _leaseCheckInterval = leaseCheckInterval ?? DefaultLeaseCheckInterval;
        _state = new SearchState(new SearchId(searchId), clock ?? (() => DateTimeOffset.UtcNow));
        PersistenceId = $"{PersistencePrefix}-{searchId}";

        Recover<SnapshotOffer>(offer => _state.Restore((SearchSnapshot)offer.Snapshot));
        Recover<ISearchEvent>(_state.Apply);

        Command<StartSearch>(start =>
            PersistThen(_state.DecideStart(new SearchSpecData(start.SpecJson, start.Features, start.Classes)),
                () => Sender.Tell(_state.ToStatus(false))));
        Command<RequestWork>(OnRequestWork);
        Command<Heartbeat>(beat => _state.Heartbeat(beat.TrainerId, beat.TrialId));
        Command<ReportResult>(result =>
        {
            var sender = Sender;
            PersistThen(_state.DecideResult(result.TrainerId, result.TrialId, result.Metrics),
                () => sender.Tell(new ResultAccepted(_state.SearchId, result.TrialId)));
        });
        Command<ReportFailure>(failure =>
        {
            var sender = Sender;
            _log.Warning("search {0}: trial {1} failed on {2}: {3}", _state.SearchId, failure.TrialId, failure.TrainerId, failure.Reason);
            PersistThen(_state.DecideFailure(failure.TrainerId, failure.TrialId, failure.Reason),
                () => sender.Tell(new ResultAccepted(_state.SearchId, failure.TrialId)));
        });
        Command<ReclaimLeases>(_ =>
        {
            var sender = Sender;
            var events = _state.DecideReclaimAll();
            PersistThen(events, () => sender.Tell(new LeasesReclaimed(_state.SearchId, events.Count)));
        });
        Command<CheckLeases>(check =>
        {
            var sender = Sender;
            var expired = _state.DecideExpiredLeases();
            if (expired.Count > 0) _log.Info("search {0}: {1} lease(s) expired, trials re-queued", _state.SearchId, expired.Count);
            PersistThen(expired, () =>
            {
                if (check.Acknowledge) sender.Tell(new LeasesChecked(_state.SearchId, expired.Count));
            });
        });
        Command<GetStatus>(get => Sender.Tell(_state.ToStatus(get.IncludeTrials)));
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning("search {0}: snapshot failed: {1}", _state.SearchId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string searchId, Func<DateTimeOffset>? clock = null, TimeSpan? leaseCheckInterval = null) =>
        Akka.Actor.Props.Create(() => new SearchCoordinator(searchId, clock, leaseCheckInterval));

    protected override void PreStart()
    {
        base.PreStart();
        if (_leaseCheckInterval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("leases", new CheckLeases(_state.SearchId), _leaseCheckInterval);
    }

    private void OnRequestWork(RequestWork request)
    {
        var sender = Sender;
        if (_state.IsOver)
        {
            sender.Tell(new SearchOver(_state.SearchId));
            return;
        }
        IReadOnlyList<ISearchEvent> events;
        try
        {
            events = _state.DecideWork(request.TrainerId);
        }
        catch (InvalidOperationException e)
        {
            // The strategy cannot propose anything valid (e.g. constraints nothing satisfies): end the search visibly.
            PersistThen([new SearchEvents.SearchFinished(_state.BestTrialId, false, e.Message)], () => sender.Tell(new SearchOver(_state.SearchId)));
            return;
        }
        if (events.Count == 0)
        {
            sender.Tell(new NoWorkYet(_state.SearchId));
            return;
        }
        var leased = events.OfType<SearchEvents.TrialLeased>().Single();
        PersistThen(events, () => sender.Tell(new WorkAssigned(
            _state.SearchId, _state.RecordOf(leased.TrialId), _state.LeaseSeconds, request.IncludeSpec ? _state.SpecData : null)));
    }

    /// <summary>Persists the events (in one batch), applies each, then runs <paramref name="then"/>.</summary>
    private void PersistThen(IReadOnlyList<ISearchEvent> events, Action then)
    {
        if (events.Count == 0)
        {
            then();
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state.Apply(e);
            if (--remaining > 0) return;
            MaybeSnapshot(events.Count);
            then();
        });
    }

    private void MaybeSnapshot(int newEvents)
    {
        _eventsSinceSnapshot += newEvents;
        var every = _state.Definition?.Spec.Execution.SnapshotEvery ?? int.MaxValue;
        if (_eventsSinceSnapshot < every) return;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(_state.ToSnapshot());
    }
}
