using Akka.Actor;
using Akka.Event;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Trainers.TrainerProtocol;

namespace NasActors.Engine.Trainers;

/// <summary>
/// Lease-ahead (<c>execution.lease_ahead</c>): the coordinator may give a trainer leases queued behind the trial it trains. When
/// a trial ends the next queued one starts at once and the result is reported with <see cref="ReportResults"/>: at once when no
/// such report is in flight, else together with the others that end meanwhile, once the one in flight is answered (Nagle-like).
/// The answer (<see cref="WorkBatch"/>) accepts them and refills the queue. A queued lease is a lease like any other: the running
/// trial's heartbeats keep it alive (the coordinator extends all of a trainer's leases), and it is handed back (no attempt counted)
/// when the trainer drains, is quarantined or loses the running trial's lease. A trainer that is not leasing ahead reports with
/// <see cref="ReportResult"/> as before.
/// </summary>
public sealed partial class TrainerActor
{
    private const string BatchTimer = "batch";
    /// <summary>Leases held behind the running trial, in the order they run (all of <see cref="_searchId"/>).</summary>
    private readonly Queue<WorkAssigned> _queued = new();
    /// <summary>Results that ended while a report was in flight: they go together once it is answered.</summary>
    private readonly List<TrialResult> _unsent = [];
    private SearchId? _unsentSearch;
    private ReportResults? _batchInFlight;
    private int _batches;
    private int _batchRetries;
    /// <summary>The lease of the trial that trains now; null between trials.</summary>
    private WorkAssigned? _running;

    /// <summary>Whether the result of the running trial goes by a lease-ahead report: leases are queued, or a report of this search is in flight.</summary>
    private bool LeasingAhead =>
        _batchInFlight is null ? _queued.Count > 0 : _batchInFlight.SearchId == _searchId && (_unsent.Count == 0 || _unsentSearch == _searchId);

    /// <summary>A lease this trainer runs, has queued, or has finished and is reporting: an answer that lists it again changes nothing.</summary>
    private bool Holds(WorkAssigned work) =>
        Same(_running, work)
        || _queued.Any(q => Same(q, work))
        || (_unsentSearch == work.SearchId && _unsent.Any(r => r.TrialId == work.Trial.TrialId && r.LeaseEpoch == work.LeaseEpoch))
        || (_batchInFlight is { } batch && batch.SearchId == work.SearchId && batch.Results.Any(r => r.TrialId == work.Trial.TrialId && r.LeaseEpoch == work.LeaseEpoch));

    private static bool Same(WorkAssigned? a, WorkAssigned b) =>
        a is not null && a.SearchId == b.SearchId && a.Trial.TrialId == b.Trial.TrialId && a.LeaseEpoch == b.LeaseEpoch;

    /// <summary>The running trial ended with a result while leasing ahead: report it, and start the next queued trial now.</summary>
    private void ResultLeasingAhead(int trialId, int epoch, TrialMetrics metrics)
    {
        Timers.Cancel(HeartbeatTimer);
        _unsent.Add(new TrialResult(trialId, epoch, metrics));
        _unsentSearch = _searchId;
        _running = null;
        _trial = null;
        SendBatch();
        if (_draining || _quarantineRequested is not null) HandBackQueued();
        if (_queued.TryDequeue(out var next)) StartTrial(next);
        else Enter(TrainerPhase.Reporting, AwaitingBatch);
    }

    /// <summary>Sends the unsent results as one report, unless one is in flight (then they wait for its answer).</summary>
    private void SendBatch()
    {
        if (_batchInFlight is not null || _unsent.Count == 0 || _unsentSearch is not { } search) return;
        _batchInFlight = new ReportResults(search, _settings.TrainerId, ++_batches, _unsent.ToArray(),
            NextWork: !_draining && _quarantineRequested is null && StaysWith(search));
        _unsent.Clear();
        _batchRetries = 0;
        _searches.Tell(_batchInFlight);
        Timers.StartSingleTimer(BatchTimer, new ResendBatch(_batchInFlight.Batch), _settings.RetryDelay(_batchRetries));
    }

    /// <summary>
    /// Whether the trainer wants more of this search's trials: a cluster trainer refills only while the fair share still points
    /// at it, else its queue runs dry and it asks the index again, so lease-ahead does not keep it on one search.
    /// </summary>
    private bool StaysWith(SearchId search) => _only is not null || _share.Next(Environment.TickCount64) is not { } next || next == search;

    /// <summary>
    /// Takes the answer to the report in flight: counts stale results as faults, queues the leases it does not hold yet, and
    /// sends what ended meanwhile. False for an answer to a resent report that was already answered.
    /// </summary>
    private bool TakeBatch(WorkBatch answer)
    {
        if (_batchInFlight is not { } sent || sent.Batch != answer.Batch || sent.SearchId != answer.SearchId) return false;
        Timers.Cancel(BatchTimer);
        _batchInFlight = null;
        foreach (var stale in answer.Accepted.Where(a => !a.Counted))
        {
            _log.Info("trainer {0}: report of trial {1} (epoch {2}) was stale and did not count", _settings.TrainerId, stale.TrialId, stale.LeaseEpoch);
            CountFault($"result of trial {stale.TrialId} came after lease {stale.LeaseEpoch} had expired");
        }
        if (answer.Over && answer.SearchId == _searchId) _queued.Clear();
        foreach (var lease in answer.Leases.Where(l => !Holds(l)))
        {
            if (!_draining && _quarantineRequested is null && lease.SearchId == _searchId && _phase is TrainerPhase.Training or TrainerPhase.Reporting or TrainerPhase.Idle)
                _queued.Enqueue(lease);
            else HandBack(lease);
        }
        SendBatch();
        return true;
    }

    /// <summary>Handlers every state has (registered with <see cref="IgnoreStale"/>): answers to lease-ahead reports, and their resends.</summary>
    private void LeaseAheadReports()
    {
        Receive<WorkBatch>(answer => TakeBatch(answer));
        Receive<ResendBatch>(resend =>
        {
            if (_batchInFlight is not { } sent || sent.Batch != resend.Batch) return;
            // The same report again: its results count once, and the refill counts the leases the trainer already holds.
            _searches.Tell(sent);
            Timers.StartSingleTimer(BatchTimer, new ResendBatch(sent.Batch), _settings.RetryDelay(++_batchRetries));
        });
    }

    /// <summary>No trial runs and the queue is empty: the answer to the report in flight brings the next leases.</summary>
    private void AwaitingBatch()
    {
        Receive<WorkBatch>(answer =>
        {
            if (TakeBatch(answer)) AfterBatch(answer);
        });
        Receive<DrainTrainer>(_ =>
        {
            _draining = true;
            _drainRequester = Sender;
        });
        Receive<WorkAssigned>(HandBackExtraWork);
        IgnoreStale();
    }

    private void AfterBatch(WorkBatch answer)
    {
        if (answer.Over && answer.SearchId == _searchId)
        {
            if (_batchInFlight is null) SearchIsOver(new SearchOver(answer.SearchId));
            return;
        }
        if (_draining || _quarantineRequested is not null) HandBackQueued();
        if (_queued.TryDequeue(out var next))
        {
            StartTrial(next);
            return;
        }
        if (_batchInFlight is not null) return; // what ended meanwhile is reported: wait for that answer too
        if (_draining) Drained();
        else if (_quarantineRequested is { } duration) StartQuarantine(duration, "quarantined by an operator");
        else
        {
            Enter(TrainerPhase.Idle, Idle);
            Self.Tell(new PollForWork());
        }
    }

    /// <summary>An idle trainer's answer to its work request with several leases: it runs the first and queues the rest.</summary>
    private void StartBatch(WorkBatch answer)
    {
        Timers.Cancel(RequestTimer);
        _workRequested = false;
        _queued.Clear(); // the answer lists every lease the trainer holds
        if (answer.Over)
        {
            SearchIsOver(new SearchOver(answer.SearchId));
            return;
        }
        var fresh = answer.Leases.Where(l => !Holds(l)).ToArray();
        if (_draining)
        {
            foreach (var lease in fresh) HandBack(lease);
            Drained();
            return;
        }
        if (fresh.Length == 0)
        {
            Timers.StartSingleTimer(PollTimer, new PollForWork(), _settings.Poll);
            return;
        }
        foreach (var lease in fresh.Skip(1)) _queued.Enqueue(lease);
        StartTrial(fresh[0]);
    }

    /// <summary>Gives every queued lease back (draining, quarantined, the running trial's lease lost): re-issued at once, no attempt counted.</summary>
    private void HandBackQueued()
    {
        while (_queued.TryDequeue(out var lease)) HandBack(lease);
    }

    private void HandBack(WorkAssigned lease) =>
        _searches.Tell(_draining
            ? GiveBack(lease, DrainReason, FailureKind.Preempted)
            : GiveBack(lease, "queued lease given back (the trainer cannot run it now)", FailureKind.Infrastructure));

    private const string DrainReason = "preempted: the node is draining";

    /// <summary>The report that gives an unused lease back to the search that gave it (not necessarily the one this trainer works for now).</summary>
    private ReportFailure GiveBack(WorkAssigned lease, string reason, FailureKind kind) =>
        new(lease.SearchId, _settings.TrainerId, lease.Trial.TrialId, lease.LeaseEpoch, reason, kind);
}
