using Akka.Actor;
using Akka.Pattern;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Tests.Support;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.SearchEvents;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// Journal writes that are rejected or fail in the middle of a search (Akka.Persistence.TestKit's journal):
/// the coordinator restarts from the journal, no caller hears "accepted" for a lost write, and the search still
/// completes with every trial counted once; the state it ends with is the journal's.
/// </summary>
public class JournalFaultTests() : TestKit(Config)
{
    private const string Config = """
        akka.loglevel = WARNING
        akka.test.single-expect-default = 10s
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private static readonly SearchId Id = new("faulty");

    private ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor("akka.persistence.journal.test"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lost_write_mid_search_restarts_the_coordinator_from_the_journal_and_the_search_completes_exactly(bool reject)
    {
        const int trials = 8;
        // A failed write stops the coordinator; a shard would start it again on the next message, as this back-off supervisor does.
        var coordinator = Sys.ActorOf(BackoffSupervisor.Props(SearchCoordinator.Props(Id.Value), "coordinator",
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0.0), "c1");
        var spec = TestSpecs.Data(TestSpecs.Mlp(trials, "evolution"));
        coordinator.Tell(new StartSearch(Id, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>();

        // The third trial's result is lost once: rejected (not stored) or failed (the journal broke).
        var lost = 0;
        bool LoseOnce(IPersistentRepresentation p) => p.Payload is TrialCompleted { TrialId: 3 } && Interlocked.Exchange(ref lost, 1) == 0;
        if (reject) await Journal.OnWrite.RejectIf(LoseOnce);
        else await Journal.OnWrite.FailIf(LoseOnce);

        var evaluator = new FakeEvaluator();
        Sys.ActorOf(TrainerActor.Props(coordinator, Id, evaluator, new TrainerSettings("t1", Path.GetTempPath(), 1,
            PollInterval: TimeSpan.FromMilliseconds(20), RetryFirst: TimeSpan.FromMilliseconds(100), RetryMax: TimeSpan.FromMilliseconds(400))));
        var finished = AwaitFinished(coordinator);
        Assert.Equal(1, lost);

        Assert.Equal(trials, finished.Completed);
        Assert.Equal(0, finished.Failed);
        Assert.Equal(Enumerable.Range(1, trials), finished.Trials!.Select(t => t.TrialId));
        Assert.All(finished.Trials!, t => Assert.Equal(TrialState.Completed, t.State));

        // What the coordinator ended with is what the journal holds.
        Watch(coordinator);
        coordinator.Tell(PoisonPill.Instance);
        ExpectTerminated(coordinator);
        var recovered = Sys.ActorOf(SearchCoordinator.Props(Id.Value), "c2");
        recovered.Tell(new GetStatus(Id, IncludeTrials: true));
        var fromJournal = ExpectMsg<SearchStatus>();
        Assert.Equal(finished with { Trials = null, Spec = null }, fromJournal with { Trials = null, Spec = null });
        Assert.Equal(finished.Trials, fromJournal.Trials);
    }

    [Fact]
    public async Task A_caller_waiting_on_a_lost_write_gets_no_reply_and_its_retry_counts_once()
    {
        var coordinator = Sys.ActorOf(SearchCoordinator.Props(Id.Value), "c1");
        var spec = TestSpecs.Data(TestSpecs.Mlp(3));
        coordinator.Tell(new StartSearch(Id, spec.SpecJson, spec.Features, spec.Classes));
        ExpectMsg<SearchStatus>();
        coordinator.Tell(new RequestWork(Id, "t", false));
        var work = ExpectMsg<WorkAssigned>();

        await Journal.OnWrite.Reject();
        coordinator.Tell(new ReportResult(Id, "t", work.Trial.TrialId, work.LeaseEpoch, new(0.5, 0.1, 5, 1)));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no false "accepted"
        await Journal.OnWrite.Pass();

        AwaitAssert(() =>
        {
            coordinator.Tell(new ReportResult(Id, "t", work.Trial.TrialId, work.LeaseEpoch, new(0.5, 0.1, 5, 1)));
            Assert.True(ExpectMsg<ResultAccepted>(TimeSpan.FromSeconds(1)).Counted);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        coordinator.Tell(new GetStatus(Id));
        Assert.Equal(1, ExpectMsg<SearchStatus>().Completed);
    }

    [Fact]
    public async Task A_persistent_entity_whose_write_is_rejected_restarts_and_recovers_from_the_journal()
    {
        var searches = CreateTestProbe();
        var index = Sys.ActorOf(SearchIndex.Props(searches.Ref), "index");
        index.Tell(new SearchIndexProtocol.RegisterSearch(new SearchId("kept")));
        index.Tell(new SearchIndexProtocol.GetActiveSearches());
        Assert.Equal([new SearchId("kept")], ExpectMsg<SearchIndexProtocol.ActiveSearches>().SearchIds);

        await Journal.OnWrite.RejectIf(p => p.Payload is SearchIndexEvents.SearchRegistered { SearchId: "lost" });
        index.Tell(new SearchIndexProtocol.RegisterSearch(new SearchId("lost")));
        // The restart recovers from the journal, and recovery wakes every search the journal holds.
        Assert.Equal(new SearchId("kept"), searches.ExpectMsg<GetStatus>().SearchId);
        index.Tell(new SearchIndexProtocol.GetActiveSearches());
        Assert.Equal([new SearchId("kept")], ExpectMsg<SearchIndexProtocol.ActiveSearches>().SearchIds);
    }

    private SearchStatus AwaitFinished(IActorRef coordinator)
    {
        SearchStatus? status = null;
        AwaitAssert(() =>
        {
            coordinator.Tell(new GetStatus(Id, IncludeTrials: true));
            status = ExpectMsg<SearchStatus>();
            Assert.Equal(SearchPhase.Finished, status.Phase);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        return status!;
    }
}
