using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Searches;

/// <summary>Lease-ahead (<c>execution.lease_ahead</c>) at the coordinator: several leases per trainer, batch reports, on a virtual clock.</summary>
public class LeaseAheadTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Id = new("ahead");
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    /// <summary>A coordinator on a virtual clock whose trainers may queue <paramref name="depth"/> trials (the lease check is sent by the test).</summary>
    private IActorRef StartCoordinator(int trials, int? depth, double leaseSeconds = 30, string name = "c")
    {
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(Id.Value, SearchClock.Virtual(() => _now), TimeSpan.Zero), name);
        var mlp = TestSpecs.Mlp(trials, leaseSeconds: leaseSeconds);
        var spec = TestSpecs.Data(mlp with { Execution = mlp.Execution with { LeaseAhead = depth } });
        coordinator.Tell(new StartSearch(Id, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>(s => s.Phase == SearchPhase.Running);
        return coordinator;
    }

    private IReadOnlyList<WorkAssigned> Leases(IActorRef coordinator, string trainer)
    {
        coordinator.Tell(new RequestWork(Id, trainer, IncludeSpec: false));
        return ExpectMsg<object>() switch
        {
            WorkBatch batch => batch.Leases,
            WorkAssigned one => [one],
            var other => throw new Xunit.Sdk.XunitException($"expected leases, got {other}")
        };
    }

    private static TrialResult Result(WorkAssigned lease, double accuracy) => new(lease.Trial.TrialId, lease.LeaseEpoch, new(accuracy, 0.1, 5, 1));

    private SearchStatus Status(IActorRef coordinator)
    {
        coordinator.Tell(new GetStatus(Id, IncludeTrials: true));
        return ExpectMsg<SearchStatus>();
    }

    private int CheckLeases(IActorRef coordinator)
    {
        coordinator.Tell(new CheckLeases(Id, Acknowledge: true));
        return ExpectMsg<LeasesChecked>().Expired;
    }

    [Fact]
    public void A_trainer_holds_the_depth_in_queued_leases_and_reports_them_in_one_batch_each_recorded_once()
    {
        var coordinator = StartCoordinator(trials: 20, depth: 3);
        var held = Leases(coordinator, "a");
        Assert.Equal(4, held.Count); // the running trial and three queued
        Assert.Equal(4, held.Select(l => l.Trial.TrialId).Distinct().Count());

        coordinator.Tell(new ReportResults(Id, "a", 1, held.Select((l, i) => Result(l, 0.1 * (i + 1))).ToArray(), NextWork: true));
        var answer = ExpectMsg<WorkBatch>();

        Assert.Equal(1, answer.Batch);
        Assert.Equal(held.Select(l => (l.Trial.TrialId, true)), answer.Accepted.Select(a => (a.TrialId, a.Counted)));
        Assert.Equal(4, answer.Leases.Count); // refilled to the depth
        Assert.Empty(answer.Leases.Select(l => l.Trial.TrialId).Intersect(held.Select(l => l.Trial.TrialId)));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // one answer for the whole batch

        // The same report again (a resend): nothing counts twice, and the trainer is not given more than the depth.
        coordinator.Tell(new ReportResults(Id, "a", 1, held.Select(l => Result(l, 0.9)).ToArray(), NextWork: true));
        var again = ExpectMsg<WorkBatch>();
        Assert.All(again.Accepted, a => Assert.False(a.Counted));
        Assert.Equal(answer.Leases.Select(l => (l.Trial.TrialId, l.LeaseEpoch)), again.Leases.Select(l => (l.Trial.TrialId, l.LeaseEpoch)));

        // The journal holds each result once, with its first report's metrics: a recovered coordinator sees the same ledger.
        var before = Status(coordinator);
        Watch(coordinator);
        coordinator.Tell(PoisonPill.Instance);
        ExpectTerminated(coordinator);
        var recovered = Status(Sys.ActorOf(SearchCoordinator.Props(Id.Value, SearchClock.Virtual(() => _now), TimeSpan.Zero), "c2"));
        Assert.Equal((4, 4), (recovered.Completed, recovered.InFlight));
        Assert.Equal(before.Trials, recovered.Trials);
        Assert.Equal(0.4, recovered.Best!.Metrics!.ValidationAccuracy);
    }

    [Fact]
    public void An_answer_lists_only_the_leases_it_adds_but_every_lease_held_to_a_resent_report_or_a_trainers_first()
    {
        var coordinator = StartCoordinator(trials: 20, depth: 3);
        var held = Leases(coordinator, "a").ToList();
        var ids = () => held.Select(l => l.Trial.TrialId).Order();

        // The first report this coordinator sees from the trainer (it may be a resend from before a restart): every lease held.
        coordinator.Tell(new ReportResults(Id, "a", 1, [Result(held[0], 0.5)], NextWork: true));
        var first = ExpectMsg<WorkBatch>().Leases;
        held = [.. held.Skip(1), .. first.Where(l => held.All(h => h.Trial.TrialId != l.Trial.TrialId))];
        Assert.Equal(4, first.Count);
        Assert.Equal(ids(), first.Select(l => l.Trial.TrialId).Order());

        // The next report: only the lease that replaces the finished trial.
        var finished = held[0];
        coordinator.Tell(new ReportResults(Id, "a", 2, [Result(finished, 0.6)], NextWork: true));
        var added = Assert.Single(ExpectMsg<WorkBatch>().Leases);
        Assert.DoesNotContain(added.Trial.TrialId, ids());
        held = [.. held.Skip(1), added];

        // That report again (its answer lost, say): every lease held, the added one included.
        coordinator.Tell(new ReportResults(Id, "a", 2, [Result(finished, 0.6)], NextWork: true));
        Assert.Equal(ids(), ExpectMsg<WorkBatch>().Leases.Select(l => l.Trial.TrialId).Order());
        Assert.Equal(4, Status(coordinator).InFlight);
    }

    [Fact]
    public void A_trainer_that_asks_again_while_holding_leases_hears_the_same_leases()
    {
        var coordinator = StartCoordinator(trials: 20, depth: 2);
        var held = Leases(coordinator, "a");
        var again = Leases(coordinator, "a");

        Assert.Equal(3, held.Count);
        Assert.Equal(held.Select(l => (l.Trial.TrialId, l.LeaseEpoch)), again.Select(l => (l.Trial.TrialId, l.LeaseEpoch)));
        Assert.Equal(3, Status(coordinator).InFlight);
    }

    [Fact]
    public void Queued_leases_live_on_the_running_trials_heartbeats_and_expire_with_them_and_a_late_report_is_fenced()
    {
        var coordinator = StartCoordinator(trials: 20, depth: 2, leaseSeconds: 30);
        var held = Leases(coordinator, "a");
        var running = held[0];

        _now += TimeSpan.FromSeconds(20);
        coordinator.Tell(new Heartbeat(Id, "a", running.Trial.TrialId, running.LeaseEpoch));
        Assert.Equal(0, CheckLeases(coordinator)); // the heartbeat is handled at 20 s
        _now += TimeSpan.FromSeconds(20); // 40 s after the lease, 20 s after the heartbeat
        Assert.Equal(0, CheckLeases(coordinator));

        _now += TimeSpan.FromSeconds(20); // the heartbeats stopped
        Assert.Equal(3, CheckLeases(coordinator));

        // Another trainer takes a queued trial again, under the next epoch; the first trainer's late report of it is fenced.
        var queued = held[1];
        var retaken = Leases(coordinator, "b").Single(l => l.Trial.TrialId == queued.Trial.TrialId);
        Assert.Equal(2, retaken.LeaseEpoch);
        coordinator.Tell(new ReportResults(Id, "a", 1, [Result(queued, 0.99)], NextWork: false));
        Assert.False(ExpectMsg<WorkBatch>().Accepted.Single().Counted);
        coordinator.Tell(new ReportResults(Id, "b", 1, [Result(retaken, 0.5)], NextWork: false));
        Assert.True(ExpectMsg<WorkBatch>().Accepted.Single().Counted);
        var trial = Status(coordinator).Trials!.Single(t => t.TrialId == queued.Trial.TrialId);
        Assert.Equal((TrialState.Completed, 0.5, 2), (trial.State, trial.Metrics!.ValidationAccuracy, trial.LeaseEpoch));
    }

    [Fact]
    public void A_queued_lease_handed_back_on_a_drain_is_reissued_without_counting_an_attempt()
    {
        var coordinator = StartCoordinator(trials: 20, depth: 1);
        var held = Leases(coordinator, "a");
        var queued = held[1];

        coordinator.Tell(new ReportFailure(Id, "a", queued.Trial.TrialId, queued.LeaseEpoch, "preempted: the node is draining", FailureKind.Preempted));
        Assert.True(ExpectMsg<ResultAccepted>().Counted);

        var retaken = Leases(coordinator, "b");
        Assert.Equal((queued.Trial.TrialId, 2), (retaken[0].Trial.TrialId, retaken[0].LeaseEpoch));
        var trial = Status(coordinator).Trials!.Single(t => t.TrialId == queued.Trial.TrialId);
        Assert.Equal((TrialState.Leased, 2), (trial.State, trial.Leases));
    }

    [Fact]
    public void The_budget_counts_queued_leases_and_near_its_end_nothing_is_queued()
    {
        var coordinator = StartCoordinator(trials: 5, depth: 8);
        var a = Leases(coordinator, "a");
        var b = Leases(coordinator, "b");

        // a queues only while the budget leaves more unleased trials than trainers, so b still gets one; never more than 5 in all.
        Assert.Equal((4, 1), (a.Count, b.Count));
        coordinator.Tell(new RequestWork(Id, "c", IncludeSpec: false));
        ExpectMsg<NoWorkYet>();
        Assert.Equal(5, Status(coordinator).InFlight);
    }

    [Fact]
    public void Auto_holds_nothing_before_a_duration_is_known_and_then_more_for_short_trials_than_for_long_ones()
    {
        Assert.Equal(0, LeaseAhead.Auto(null));
        Assert.Equal(Core.Specs.ExecutionSpec.MaxLeaseAhead, LeaseAhead.Auto(0));
        Assert.Equal(Core.Specs.ExecutionSpec.MaxLeaseAhead, LeaseAhead.Auto(0.001));
        Assert.Equal(5, LeaseAhead.Auto(0.2));
        Assert.Equal(1, LeaseAhead.Auto(1));
        Assert.Equal(0, LeaseAhead.Auto(600));

        var observed = new LeaseAhead();
        Assert.Equal(0, observed.Depth(null));
        observed.Observed(0.2); // what the evaluator measured
        observed.Observed(0.2);
        Assert.Equal(0.2, observed.MeanSeconds!.Value, 6);
        Assert.Equal(5, observed.Depth(null));
        Assert.Equal(2, observed.Depth(2)); // a number in the spec wins
        for (var i = 0; i < 50; i++) observed.Observed(600); // the trials got long: nothing queued
        Assert.Equal(0, observed.Depth(null));
    }
}
