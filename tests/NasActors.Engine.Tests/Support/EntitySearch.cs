using Akka.Actor;
using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Engine.Entities;
using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Tests.Support;

/// <summary>A coordinator whose strategy runs as entities in local regions, plus trainers, inside one TestKit.</summary>
public sealed class EntitySearch(TestKit kit, EntityRegions regions, SearchId id)
{
    public SearchId Id { get; } = id;
    public EntityRegions Regions { get; } = regions;
    public IActorRef Coordinator { get; private set; } = ActorRefs.Nobody;

    public EntitySearch Start(SearchSpec spec, string name)
    {
        Coordinator = Recreate(name);
        var data = TestSpecs.Data(spec);
        Coordinator.Tell(new StartSearch(Id, data.SpecJson, data.Features, data.Classes), kit.TestActor);
        kit.ExpectMsg<SearchStatus>(s => s.Phase == SearchPhase.Running);
        return this;
    }

    public IActorRef Recreate(string name) => Coordinator = kit.Sys.ActorOf(SearchCoordinator.Props(Id.Value, regions: Regions), name);

    /// <summary>
    /// Kills the coordinator, recreates it from its journal as <paramref name="name"/> and checks that it recovered the
    /// status it had, trials included; returns that status.
    /// </summary>
    public SearchStatus KillAndRecover(string name)
    {
        var before = Status();
        kit.Watch(Coordinator);
        Coordinator.Tell(PoisonPill.Instance);
        kit.ExpectTerminated(Coordinator);
        Recreate(name);
        var after = Status();
        Assert.Equal(before with { Trials = null, Spec = null }, after with { Trials = null, Spec = null });
        Assert.Equal(before.Trials, after.Trials);
        return after;
    }

    public IActorRef Trainer(IEvaluatorProvider evaluator, string trainerId) =>
        kit.Sys.ActorOf(TrainerActor.Props(Coordinator, Id, evaluator,
            new TrainerSettings(trainerId, Path.GetTempPath(), 1, PollInterval: TimeSpan.FromMilliseconds(20))), $"{Id}-{trainerId}");

    public SearchStatus Status()
    {
        Coordinator.Tell(new GetStatus(Id, IncludeTrials: true), kit.TestActor);
        return kit.ExpectMsg<SearchStatus>();
    }

    public SearchStatus AwaitPhase(SearchPhase phase, int seconds = 20)
    {
        SearchStatus? status = null;
        kit.AwaitAssert(() =>
        {
            status = Status();
            Assert.Equal(phase, status.Phase);
        }, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    /// <summary>Leases a trial as a test trainer, waiting while the entities refill the buffer.</summary>
    public WorkAssigned Lease(string trainer, int seconds = 10)
    {
        WorkAssigned? work = null;
        kit.AwaitAssert(() =>
        {
            Coordinator.Tell(new RequestWork(Id, trainer, false), kit.TestActor);
            work = kit.ExpectMsg<WorkAssigned>();
        }, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(50));
        return work!;
    }

    /// <summary>Reports a result for the trial's lease <paramref name="leaseEpoch"/> (these searches lease each trial once).</summary>
    public void Complete(string trainer, int trialId, double accuracy, int leaseEpoch = 1)
    {
        Coordinator.Tell(new ReportResult(Id, trainer, trialId, leaseEpoch, new(accuracy, 0.1, 5, 1)), kit.TestActor);
        kit.ExpectMsg<ResultAccepted>(a => a.TrialId == trialId);
    }

    public T AskEntity<T>(IActorRef region, object message)
    {
        region.Tell(message, kit.TestActor);
        return kit.ExpectMsg<T>();
    }
}
