using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Searches;

public class SearchCoordinatorTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Id = new("s1");

    private IActorRef StartCoordinator(int trials, double leaseSeconds = 30, int snapshotEvery = 1000, string name = "c")
    {
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(Id.Value), name);
        var spec = TestSpecs.Data(TestSpecs.Mlp(trials, leaseSeconds: leaseSeconds, snapshotEvery: snapshotEvery));
        coordinator.Tell(new StartSearch(Id, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>(s => s.Phase == SearchPhase.Running);
        return coordinator;
    }

    private WorkAssigned Lease(IActorRef coordinator, string trainer)
    {
        coordinator.Tell(new RequestWork(Id, trainer, IncludeSpec: false));
        return ExpectMsg<WorkAssigned>();
    }

    private ResultAccepted Complete(IActorRef coordinator, string trainer, WorkAssigned work, double accuracy)
    {
        coordinator.Tell(new ReportResult(Id, trainer, work.Trial.TrialId, work.LeaseEpoch, new(accuracy, 0.1, 5, 1)));
        return ExpectMsg<ResultAccepted>(a => a.TrialId == work.Trial.TrialId);
    }

    private SearchStatus Status(IActorRef coordinator)
    {
        coordinator.Tell(new GetStatus(Id, IncludeTrials: true));
        return ExpectMsg<SearchStatus>();
    }

    private void Kill(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
    }

    [Fact]
    public void A_lease_taken_back_by_a_pause_is_lost_but_not_expired()
    {
        var coordinator = StartCoordinator(trials: 3);
        var work = Lease(coordinator, "a");
        coordinator.Tell(new PauseSearch(Id, "maintenance"));
        ExpectMsg<SearchStatus>(s => s.Phase == SearchPhase.Paused);
        coordinator.Tell(new Heartbeat(Id, "a", work.Trial.TrialId, work.LeaseEpoch));
        Assert.Equal(new LeaseLost(Id, work.Trial.TrialId, work.LeaseEpoch, Expired: false), ExpectMsg<LeaseLost>());
    }

    [Theory]
    [InlineData(1000)] // recovery from events only
    [InlineData(3)]    // recovery from a snapshot plus events
    public void A_killed_coordinator_recovers_an_identical_ledger_and_continues_the_same_strategy(int snapshotEvery)
    {
        var coordinator = StartCoordinator(trials: 6, snapshotEvery: snapshotEvery);
        var first = Lease(coordinator, "a");
        var second = Lease(coordinator, "b");
        Complete(coordinator, "b", second, 0.7);
        Complete(coordinator, "a", first, 0.6);
        var third = Lease(coordinator, "a");
        var before = Status(coordinator);

        Kill(coordinator);
        var recovered = Sys.ActorOf(SearchCoordinator.Props(Id.Value), "c2");
        var after = Status(recovered);

        Assert.Equal(before with { Trials = null, Spec = null }, after with { Trials = null, Spec = null });
        Assert.Equal(before.Trials, after.Trials);
        Assert.Equal(2, after.Completed);
        Assert.Equal(second.Trial.TrialId, after.Best!.TrialId);
        // The in-flight trial still belongs to its trainer, who can finish it after the restart.
        Complete(recovered, "a", third, 0.9);
        Assert.Equal(third.Trial.TrialId, Status(recovered).Best!.TrialId);
    }

    [Fact]
    public void Results_arriving_out_of_order_are_each_counted_once()
    {
        var coordinator = StartCoordinator(trials: 3);
        var trials = new[] { Lease(coordinator, "a"), Lease(coordinator, "b"), Lease(coordinator, "c") };
        Complete(coordinator, "c", trials[2], 0.2);
        Complete(coordinator, "a", trials[0], 0.9);
        Assert.False(Complete(coordinator, "a", trials[0], 0.1).Counted); // a duplicate: acknowledged, ignored
        Complete(coordinator, "b", trials[1], 0.5);
        var status = Status(coordinator);
        Assert.Equal(SearchPhase.Finished, status.Phase);
        Assert.Equal(3, status.Completed);
        Assert.Equal(0.9, status.Best!.Metrics!.ValidationAccuracy);
        coordinator.Tell(new RequestWork(Id, "a", false));
        ExpectMsg<SearchOver>();
    }

    [Fact]
    public void An_expired_lease_is_offered_again_and_counted_once()
    {
        var coordinator = StartCoordinator(trials: 2, leaseSeconds: 1);
        var lost = Lease(coordinator, "dies");
        var other = Lease(coordinator, "b");
        // Nobody heartbeats "dies": within a few lease checks the trial is offered again.
        WorkAssigned? reissued = null;
        AwaitAssert(() =>
        {
            coordinator.Tell(new RequestWork(Id, "c", false));
            reissued = ExpectMsg<WorkAssigned>(TimeSpan.FromMilliseconds(500));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
        Assert.Equal(lost.Trial.TrialId, reissued!.Trial.TrialId);
        Complete(coordinator, "c", reissued, 0.4);
        Assert.False(Complete(coordinator, "dies", lost, 0.99).Counted); // the late original (a stale epoch): ignored
        Complete(coordinator, "b", other, 0.3);
        var status = Status(coordinator);
        Assert.Equal(2, status.Completed);
        Assert.Equal(0.4, status.Trials!.Single(t => t.TrialId == lost.Trial.TrialId).Metrics!.ValidationAccuracy);
        Assert.Equal(2, status.Trials!.Single(t => t.TrialId == lost.Trial.TrialId).Leases);
    }

    [Fact]
    public void A_heartbeat_or_report_of_a_stale_epoch_changes_nothing_but_is_answered()
    {
        // The zombie's lease is taken back explicitly (as a lease expiry would): a lease short enough to expire by
        // itself in the test could also expire the re-issued one before its heartbeat on a loaded machine.
        var coordinator = StartCoordinator(trials: 1);
        var lost = Lease(coordinator, "zombie");
        Assert.Equal(1, lost.LeaseEpoch);
        coordinator.Tell(new ReclaimLeases(Id));
        Assert.Equal(1, ExpectMsg<LeasesReclaimed>().Count);
        coordinator.Tell(new RequestWork(Id, "b", false));
        var reissued = ExpectMsg<WorkAssigned>();
        Assert.Equal((lost.Trial.TrialId, 2), (reissued.Trial.TrialId, reissued.LeaseEpoch));

        coordinator.Tell(new Heartbeat(Id, "zombie", lost.Trial.TrialId, 1));
        Assert.Equal(new LeaseLost(Id, lost.Trial.TrialId, 1, Expired: true), ExpectMsg<LeaseLost>()); // a fault of the zombie's
        coordinator.Tell(new ReportFailure(Id, "zombie", lost.Trial.TrialId, 1, "zombie crashed"));
        Assert.Equal(new ResultAccepted(Id, lost.Trial.TrialId, 1, false), ExpectMsg<ResultAccepted>());
        coordinator.Tell(new Heartbeat(Id, "b", reissued.Trial.TrialId, 2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.True(Complete(coordinator, "b", reissued, 0.6).Counted);
        var status = Status(coordinator);
        Assert.Equal((1, 0), (status.Completed, status.Failed));
        Assert.Equal(2, status.Trials!.Single(t => t.TrialId == lost.Trial.TrialId).LeaseEpoch);
    }

    [Theory]
    [InlineData(true)]  // drained, or told to leave: a hand-back
    [InlineData(false)] // killed and downed: a lost attempt, as the expiry it replaces
    public void The_lease_of_a_trainer_whose_node_left_is_reissued_at_once_and_its_late_report_is_not_counted(bool cleanly)
    {
        // The trainer lives in another actor system (its own address, as a trainer node's has); leases last long
        // enough that only the revocation can re-issue the trial within the test.
        var otherNode = ActorSystem.Create("trainer-node");
        try
        {
            var departing = CreateTestProbe(otherNode);
            var coordinator = StartCoordinator(trials: 2, leaseSeconds: 600);
            coordinator.Tell(new RequestWork(Id, "departing", IncludeSpec: false), departing.Ref);
            var held = departing.ExpectMsg<WorkAssigned>();
            var other = Lease(coordinator, "stays");

            coordinator.Tell(new TrainerNodeWatch.NodeLeft(departing.Ref.Path.Address, cleanly, Removed: true, "left"));
            var reissued = Lease(coordinator, "stays-2");
            Assert.Equal((held.Trial.TrialId, 2), (reissued.Trial.TrialId, reissued.LeaseEpoch));

            // A request still in flight from the departed node gets no lease (it could only expire).
            coordinator.Tell(new RequestWork(Id, "departing-2", IncludeSpec: false), departing.Ref);
            departing.ExpectMsg<NoWorkYet>();
            // Its heartbeat hears the lease is lost, without blaming the trainer; its late result does not count.
            coordinator.Tell(new Heartbeat(Id, "departing", held.Trial.TrialId, held.LeaseEpoch), departing.Ref);
            Assert.Equal(new LeaseLost(Id, held.Trial.TrialId, held.LeaseEpoch, Expired: false), departing.ExpectMsg<LeaseLost>());
            coordinator.Tell(new ReportResult(Id, "departing", held.Trial.TrialId, held.LeaseEpoch, new(0.99, 0.1, 5, 1)), departing.Ref);
            Assert.False(departing.ExpectMsg<ResultAccepted>().Counted);

            Assert.True(Complete(coordinator, "stays-2", reissued, 0.5).Counted);
            Assert.True(Complete(coordinator, "stays", other, 0.4).Counted);
            var status = Status(coordinator);
            Assert.Equal((SearchPhase.Finished, 2, 0), (status.Phase, status.Completed, status.Failed));
            var trial = status.Trials!.Single(t => t.TrialId == held.Trial.TrialId);
            Assert.Equal((0.5, 2), (trial.Metrics!.ValidationAccuracy, trial.LeaseEpoch));

            // A new incarnation at the departed address is served again: it hears the search is over, not "no work yet".
            coordinator.Tell(new TrainerNodeWatch.NodeJoined(departing.Ref.Path.Address));
            coordinator.Tell(new RequestWork(Id, "departing-3", IncludeSpec: false), departing.Ref);
            departing.ExpectMsg<SearchOver>();
        }
        finally
        {
            otherNode.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
