using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Searches.Remote;
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
    private static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromSeconds(1);
    private readonly SearchState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EntityRegions? _regions;
    private int _eventsSinceSnapshot;

    public SearchCoordinator(string searchId, Func<DateTimeOffset>? clock = null, EntityRegions? regions = null)
    {
        _state = new SearchState(new SearchId(searchId), clock ?? (() => DateTimeOffset.UtcNow));
        _regions = regions;
        PersistenceId = $"{PersistencePrefix}-{searchId}";

        Recover<SnapshotOffer>(offer => _state.Restore((SearchSnapshot)offer.Snapshot));
        Recover<ISearchEvent>(_state.Apply);
        Recover<RecoveryCompleted>(_ => Awake());

        Command<StartSearch>(start =>
        {
            var sender = Sender;
            var events = _state.DecideStart(new SearchSpecData(start.SpecJson, start.Features, start.Classes));
            PersistThen(events, () =>
            {
                if (events.Count > 0) Awake();
                sender.Tell(_state.ToStatus(false));
            });
        });
        // Strategy entities (execution.entities): proposals in, acknowledgements of outcomes in.
        Command<ProposalsOffered>(offer =>
        {
            _state.Remote?.Answered();
            PersistThen(_state.DecideOffered(offer.Owner, offer.Proposals), Flush);
        });
        Command<PicksOffered>(picks =>
        {
            if (_state.Remote is not ManasStrategy manas) return;
            manas.Answered();
            PersistThen(_state.DecideOffered(ManasStrategy.Owner, manas.Gather(picks.Agent, picks.Picks)), Flush);
        });
        Command<OutcomesAcknowledged>(ack => _state.Remote?.Acknowledge(ack.Owner, ack.Tickets));
        Command<RequestWork>(OnRequestWork);
        Command<Heartbeat>(beat => _state.Heartbeat(beat.TrainerId, beat.TrialId));
        Command<ReportResult>(result =>
        {
            var sender = Sender;
            PersistThen(_state.DecideResult(result.TrainerId, result.TrialId, result.Metrics), () =>
            {
                sender.Tell(new ResultAccepted(_state.SearchId, result.TrialId));
                Flush();
            });
        });
        Command<ReportFailure>(failure =>
        {
            var sender = Sender;
            _log.Warning("search {0}: trial {1} failed on {2}: {3}", _state.SearchId, failure.TrialId, failure.TrainerId, failure.Reason);
            PersistThen(_state.DecideFailure(failure.TrainerId, failure.TrialId, failure.Reason), () =>
            {
                sender.Tell(new ResultAccepted(_state.SearchId, failure.TrialId));
                Flush();
            });
        });
        Command<ReclaimLeases>(_ =>
        {
            var sender = Sender;
            var events = _state.DecideReclaimAll();
            PersistThen(events, () => sender.Tell(new LeasesReclaimed(_state.SearchId, events.Count)));
        });
        Command<CheckLeases>(_ =>
        {
            var expired = _state.DecideExpiredLeases();
            if (expired.Count > 0) _log.Info("search {0}: {1} lease(s) expired, trials re-queued", _state.SearchId, expired.Count);
            _state.Remote?.Tick();
            PersistThen(expired, Flush);
        });
        Command<GetStatus>(get => Sender.Tell(_state.ToStatus(get.IncludeTrials)));
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning("search {0}: snapshot failed: {1}", _state.SearchId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string searchId, Func<DateTimeOffset>? clock = null, EntityRegions? regions = null) =>
        Akka.Actor.Props.Create(() => new SearchCoordinator(searchId, clock, regions));

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer("leases", new CheckLeases(_state.SearchId), LeaseCheckInterval);
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
            Flush();
            return;
        }
        var leased = events.OfType<SearchEvents.TrialLeased>().Single();
        PersistThen(events, () =>
        {
            sender.Tell(new WorkAssigned(_state.SearchId, _state.RecordOf(leased.TrialId), _state.LeaseSeconds, request.IncludeSpec ? _state.SpecData : null));
            Flush();
        });
    }

    /// <summary>
    /// After the search started or recovered: register it in the search index (so a full restart
    /// brings it back), and wake its strategy entities, re-sending every outcome they may have missed.
    /// </summary>
    private void Awake()
    {
        if (_state.Phase != SearchPhase.Running) return;
        _regions?.SearchIndex?.Tell(new SearchIndexProtocol.RegisterSearch(_state.SearchId));
        _state.Remote?.Wake();
        Flush();
    }

    /// <summary>Sends what the strategy's entities need to hear (proposals wanted, outcomes) through their regions.</summary>
    private void Flush()
    {
        if (_state.Remote is not { } remote) return;
        var messages = remote.Drain();
        if (messages.Count == 0) return;
        if (_regions is null)
        {
            _log.Error("search {0} runs its strategy as entities but this coordinator was given no entity regions", _state.SearchId);
            return;
        }
        foreach (var m in messages)
        {
            var region = m.Kind switch
            {
                EntityKind.Island => _regions.Islands,
                EntityKind.Member => _regions.Members,
                EntityKind.Controller => _regions.Controllers,
                _ => _regions.Agents
            };
            region.Tell(m.Message, Self);
        }
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
            if (e is SearchEvents.SearchFinished) _regions?.SearchIndex?.Tell(new SearchIndexProtocol.UnregisterSearch(_state.SearchId));
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
