using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.Index.SearchIndexProtocol;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Trainers;

/// <summary>
/// A drain that arrives while a lease is on its way to the trainer (found by the Slurm test, where every node drains
/// at once): the trainer waits for the answer and hands the lease back as preempted before it reports drained, so
/// the trial is not left leased to a node that is gone (its lease would expire and count as an attempt).
/// </summary>
public class TrainerDrainRaceTests() : TestKit(AkkaConfig.InMemory)
{
    private static readonly SearchId Search = new("s");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Stands in for the search index: one running search, answered at once.</summary>
    private sealed class Index : ReceiveActor
    {
        public Index() => Receive<GetActiveSearches>(_ => Sender.Tell(new ActiveSearches([Search])));
    }

    private IActorRef Trainer(IActorRef searches) =>
        Sys.ActorOf(TrainerActor.ForCluster(searches, Sys.ActorOf(Props.Create(() => new Index())), new FakeEvaluator(),
            new TrainerSettings("t1", Path.GetTempPath(), 1, RetryFirst: TimeSpan.FromMinutes(1), RetryMax: TimeSpan.FromMinutes(1))));

    private static WorkAssigned Lease(int trialId, int epoch) =>
        new(Search, new TrialRecord(trialId, [0.0], Epochs: 1, DataFraction: 1, Seed: 1), epoch, LeaseSeconds: 30, Spec: null);

    [Fact]
    public void A_lease_answering_a_request_made_before_the_drain_is_handed_back_as_preempted_before_the_trainer_reports_drained()
    {
        var searches = CreateTestProbe();
        var trainer = Trainer(searches);
        var request = searches.ExpectMsg<RequestWork>(Patience);

        trainer.Tell(new DrainTrainer(), TestActor);
        searches.Reply(Lease(trialId: 4, epoch: 2));

        var handBack = searches.ExpectMsg<ReportFailure>(Patience);
        Assert.Equal((request.TrainerId, 4, 2, FailureKind.Preempted), (handBack.TrainerId, handBack.TrialId, handBack.LeaseEpoch, handBack.Kind));
        // The drain is not over until the search has recorded the hand-back.
        Assert.False(HasMessages);
        searches.Reply(new ResultAccepted(Search, 4, 2, Counted: true));
        Assert.Equal("t1", ExpectMsg<TrainerDrained>(Patience).TrainerId);
        searches.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and it asks for no more work
    }

    [Fact]
    public void A_drain_with_no_lease_coming_ends_on_the_search_answering_no_work()
    {
        var searches = CreateTestProbe();
        var trainer = Trainer(searches);
        searches.ExpectMsg<RequestWork>(Patience);

        trainer.Tell(new DrainTrainer(), TestActor);
        searches.Reply(new NoWorkYet(Search));

        ExpectMsg<TrainerDrained>(Patience);
    }

    [Fact]
    public void A_burst_of_index_answers_to_retried_requests_asks_the_search_for_work_once()
    {
        var searches = CreateTestProbe();
        var trainer = Trainer(searches);
        searches.ExpectMsg<RequestWork>(Patience);

        // The index, slow to start, answers every retried request at once.
        trainer.Tell(new ActiveSearches([Search]));
        trainer.Tell(new ActiveSearches([Search]));
        trainer.Tell(new DrainTrainer(), TestActor);
        searches.Reply(new NoWorkYet(Search));

        ExpectMsg<TrainerDrained>(Patience);
        searches.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
