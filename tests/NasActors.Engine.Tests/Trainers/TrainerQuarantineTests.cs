using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using NasActors.Engine.Trainers.Roster;
using static NasActors.Engine.Searches.SearchProtocol;
using static NasActors.Engine.Trainers.Roster.TrainerRosterProtocol;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>
/// Quarantine: K infrastructure faults in a row (device errors, leases lost while the search runs) take a trainer out of
/// rotation, trial failures do not; its node's roster journals it, so a restarted node starts that slot quarantined; an
/// operator's release or the cool-down ends it; an operator can quarantine a trainer.
/// </summary>
public class TrainerQuarantineTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Id = new("quarantine");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IActorRef StartSearch(double leaseSeconds = 30)
    {
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(Id.Value));
        var data = TestSpecs.Data(TestSpecs.Mlp(1000, maxFailures: 1000, leaseSeconds: leaseSeconds));
        coordinator.Tell(new StartSearch(Id, data.SpecJson, data.Features, data.Classes));
        ExpectMsg<SearchStatus>();
        return coordinator;
    }

    private IActorRef StartRoster(IActorRef coordinator, FakeEvaluator evaluator, string trainerId, TimeSpan cooldown, string name, string? marker = null) =>
        Sys.ActorOf(TrainerRoster.Props("node-a", "node-a", [new TrainerSettings(trainerId, Path.GetTempPath(), 1,
                PollInterval: TimeSpan.FromMilliseconds(20), FailuresBeforeCooldown: 2, CooldownPeriod: cooldown, InFlightMarker: marker)],
            settings => TrainerActor.Props(coordinator, Id, evaluator, settings)), name);

    /// <summary>
    /// The node's process dies while <paramref name="roster"/>'s trainer trains: stopping the actors clears the marker (the
    /// trial ends), so the marker the trainer wrote is put back as a dead process would have left it.
    /// </summary>
    private void DieWithTrial(IActorRef roster, string marker)
    {
        AwaitAssert(() => Assert.NotNull(new InFlightMarker(marker).LeftBehind()), Patience, TimeSpan.FromMilliseconds(50));
        var left = File.ReadAllText(marker);
        Stop(roster);
        AwaitAssert(() => Assert.Null(new InFlightMarker(marker).LeftBehind()), Patience, TimeSpan.FromMilliseconds(50));
        File.WriteAllText(marker, left);
    }

    /// <summary>
    /// Stands between the trainer and the coordinator and answers every heartbeat with <see cref="LeaseLost"/>, as the
    /// coordinator does once a lease expired (<paramref name="expired"/>) or after a pause; everything else goes through.
    /// </summary>
    private sealed class LosingLeases : ReceiveActor
    {
        public LosingLeases(IActorRef coordinator, bool expired) =>
            ReceiveAny(message =>
            {
                if (message is Heartbeat beat) Sender.Tell(new LeaseLost(beat.SearchId, beat.TrialId, beat.LeaseEpoch, expired));
                else coordinator.Forward(message);
            });
    }

    private TrainerView Only(IActorRef roster)
    {
        roster.Tell(new GetTrainers(), TestActor);
        return Assert.Single(ExpectMsg<TrainersView>().Trainers);
    }

    private TrainerView AwaitPhase(IActorRef roster, string phase)
    {
        TrainerView? view = null;
        AwaitAssert(() =>
        {
            view = Only(roster);
            Assert.Equal(phase, view.Phase);
        }, Patience, TimeSpan.FromMilliseconds(50));
        return view!;
    }

    /// <summary>Quarantined by its faults, once the roster has journaled it (the record carries the cool-down's end).</summary>
    private TrainerView AwaitAutomaticQuarantine(IActorRef roster)
    {
        TrainerView? view = null;
        AwaitAssert(() =>
        {
            view = Only(roster);
            Assert.Equal("quarantined", view.Phase);
            Assert.NotNull(view.QuarantinedUntil);
        }, Patience, TimeSpan.FromMilliseconds(50));
        return view!;
    }

    private static int Evaluations(FakeEvaluator evaluator)
    {
        lock (evaluator.Evaluated) return evaluator.Evaluated.Count;
    }

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public void Faults_in_a_row_quarantine_the_trainer_and_a_restarted_node_keeps_it_out_of_rotation_until_released()
    {
        var coordinator = StartSearch();
        var evaluator = new FakeEvaluator { InfrastructureFaults = 2 };
        var roster = StartRoster(coordinator, evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers");

        var quarantined = AwaitAutomaticQuarantine(roster);
        Assert.Contains("2 infrastructure faults in a row", quarantined.QuarantineReason);
        Assert.Contains("simulated CUDA error", quarantined.QuarantineReason);
        Assert.NotNull(quarantined.QuarantinedUntil);
        Assert.Equal(2, quarantined.Failures);

        // The node restarts: a new incarnation of the same slot starts quarantined and takes no trial.
        Stop(roster);
        var before = Evaluations(evaluator);
        var restarted = StartRoster(coordinator, evaluator, "host-2-t0", TimeSpan.FromHours(1), "trainers-again");
        var again = AwaitPhase(restarted, "quarantined");
        Assert.Equal("host-2-t0", again.TrainerId);
        Assert.Equal(quarantined.QuarantinedUntil, again.QuarantinedUntil);
        Assert.Equal(before, Evaluations(evaluator));

        // Released by an operator, it takes trials again.
        restarted.Tell(new QuarantineTrainer("host-2-t0", Release: true, "test"), TestActor);
        Assert.NotEqual("quarantined", Assert.Single(ExpectMsg<TrainersView>().Trainers).Phase);
        AwaitAssert(() => Assert.True(Evaluations(evaluator) > before), Patience, TimeSpan.FromMilliseconds(50));

        // The release is journaled too: another restart starts it in rotation.
        Stop(restarted);
        var third = StartRoster(coordinator, evaluator, "host-3-t0", TimeSpan.FromHours(1), "trainers-third");
        Assert.NotEqual("quarantined", Only(third).Phase);
    }

    [Fact]
    public void The_cool_down_ends_an_automatic_quarantine_and_the_roster_records_the_release()
    {
        var coordinator = StartSearch();
        var evaluator = new FakeEvaluator { InfrastructureFaults = 2 };
        var roster = StartRoster(coordinator, evaluator, "host-1-t0", TimeSpan.FromMilliseconds(500), "trainers");
        AwaitAssert(() => Assert.True(Evaluations(evaluator) > 2), Patience, TimeSpan.FromMilliseconds(50)); // back after the cool-down

        // The roster's own timer journals the release: a restart does not quarantine the slot again.
        AwaitAssert(() =>
        {
            Stop(roster);
            roster = StartRoster(coordinator, evaluator, $"host-{Guid.NewGuid():N}-t0", TimeSpan.FromMilliseconds(500), $"trainers-{Guid.NewGuid():N}");
            Assert.NotEqual("quarantined", Only(roster).Phase);
        }, Patience, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Trials_that_fail_on_their_own_do_not_quarantine_the_trainer()
    {
        var coordinator = StartSearch();
        var evaluator = new FakeEvaluator();
        foreach (var id in Enumerable.Range(1, 1000)) evaluator.FailOn.Add(id); // NaN loss, a diverging model…
        var roster = StartRoster(coordinator, evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers");

        // Twice the quarantine threshold of failed trials, and more: with a one-hour cool-down a quarantine would stop at 2.
        AwaitAssert(() => Assert.True(Evaluations(evaluator) >= 5), Patience, TimeSpan.FromMilliseconds(50));
        var view = Only(roster);
        Assert.NotEqual("quarantined", view.Phase);
        Assert.Equal(0, view.ConsecutiveFailures);
        Assert.True(view.Failures >= 4);
    }

    [Fact]
    public void Leases_lost_while_the_search_runs_quarantine_the_trainer()
    {
        var coordinator = StartSearch(leaseSeconds: 0.6); // heartbeats every 0.2 s
        var evaluator = new FakeEvaluator();
        foreach (var id in Enumerable.Range(1, 1000)) evaluator.HangOn.Add(id); // trains until cancelled
        var roster = StartRoster(Sys.ActorOf(Props.Create(() => new LosingLeases(coordinator, true))), evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers");

        var quarantined = AwaitAutomaticQuarantine(roster);
        Assert.Contains("2 infrastructure faults in a row", quarantined.QuarantineReason);
        Assert.Contains("lost while the search ran", quarantined.QuarantineReason);
        Assert.Equal(2, Evaluations(evaluator));
    }

    [Fact]
    public void Leases_taken_back_by_a_pause_do_not_quarantine_the_trainer()
    {
        var coordinator = StartSearch(leaseSeconds: 0.6);
        var evaluator = new FakeEvaluator();
        foreach (var id in Enumerable.Range(1, 1000)) evaluator.HangOn.Add(id);
        var roster = StartRoster(Sys.ActorOf(Props.Create(() => new LosingLeases(coordinator, false))), evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers");

        // Each lost lease is followed by the next trial: with a one-hour cool-down a quarantine would stop at 2.
        AwaitAssert(() => Assert.True(Evaluations(evaluator) >= 4), Patience, TimeSpan.FromMilliseconds(50));
        Assert.NotEqual("quarantined", Only(roster).Phase);
    }

    [Fact]
    public void Trials_that_die_with_the_process_count_as_faults_of_their_slot_across_restarts()
    {
        var coordinator = StartSearch();
        var evaluator = new FakeEvaluator();
        foreach (var id in Enumerable.Range(1, 1000)) evaluator.HangOn.Add(id); // every trial runs until its process dies
        var marker = Path.Combine(Path.GetTempPath(), $"nas-marker-{Guid.NewGuid():N}", "node-a-t0.trial"); // the trainer creates its folder

        DieWithTrial(StartRoster(coordinator, evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers", marker), marker);
        var second = StartRoster(coordinator, evaluator, "host-2-t0", TimeSpan.FromHours(1), "trainers-2", marker);
        var view = AwaitPhase(second, "training"); // one death: counted, below the threshold of 2
        Assert.Equal(1, view.ConsecutiveFailures);

        DieWithTrial(second, marker);
        var third = StartRoster(coordinator, evaluator, "host-3-t0", TimeSpan.FromHours(1), "trainers-3", marker);
        var quarantined = AwaitAutomaticQuarantine(third);
        Assert.Contains("2 infrastructure faults in a row", quarantined.QuarantineReason);
        Assert.Contains("died with the node's process", quarantined.QuarantineReason);
        Assert.False(File.Exists(marker)); // each death counts once
    }

    [Fact]
    public void An_operator_quarantines_a_trainer_until_released_and_an_unknown_trainer_touches_nothing()
    {
        var coordinator = StartSearch();
        var evaluator = new FakeEvaluator();
        var roster = StartRoster(coordinator, evaluator, "host-1-t0", TimeSpan.FromHours(1), "trainers");
        AwaitAssert(() => Assert.True(Evaluations(evaluator) > 0), Patience, TimeSpan.FromMilliseconds(50));

        roster.Tell(new QuarantineTrainer("nobody", Release: false, "test"), TestActor);
        Assert.Empty(ExpectMsg<TrainersView>().Trainers);

        roster.Tell(new QuarantineTrainer("host-1-t0", Release: false, "test"), TestActor);
        ExpectMsg<TrainersView>();
        var view = AwaitPhase(roster, "quarantined"); // after the trial in hand
        Assert.Null(view.QuarantinedUntil);
        Assert.Contains("quarantined by test", view.QuarantineReason);

        Stop(roster);
        var restarted = StartRoster(coordinator, evaluator, "host-2-t0", TimeSpan.FromHours(1), "trainers-again");
        Assert.Equal("quarantined", Only(restarted).Phase);
        restarted.Tell(new QuarantineTrainer("host-2-t0", Release: true, "test"), TestActor);
        ExpectMsg<TrainersView>();
        AwaitAssert(() => Assert.NotEqual("quarantined", Only(restarted).Phase), Patience, TimeSpan.FromMilliseconds(50));
    }
}
