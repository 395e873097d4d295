using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Supernets;
using NasActors.Engine.Trainers.Roster;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Serialization;

/// <summary>
/// Every manifest NasActors writes, by serializer area. Adding an event or a message is one line here (a test fails
/// for a message type that can cross the network without one). Never change a published manifest or identifier:
/// stored journals name them; a new schema is a new version, the old one kept with <see cref="ManifestTable.Reads{T}"/>.
/// </summary>
public static class NasManifests
{
    /// <summary>Everything a search coordinator writes to its journal.</summary>
    public static readonly ManifestTable Search = new ManifestTable("nas-search", 4101)
        .Add<SearchStarted>("search-started.v1")
        .Add<TrialProposed>("trial-proposed.v1")
        .Add<TrialLeased>("trial-leased.v2")
        .Add<TrialLeaseExpired>("trial-lease-expired.v1")
        .Add<TrialCompleted>("trial-completed.v2")
        .Add<TrialFailed>("trial-failed.v1")
        .Add<TrialHandedBack>("trial-handed-back.v1")
        .Add<TrialQuarantined>("trial-quarantined.v1")
        .Add<SearchFinished>("search-finished.v1")
        .Add<ProposalsBuffered>("proposals-buffered.v1")
        .Add<SubnetsRanked>("subnets-ranked.v1")
        .Add<SearchPaused>("search-paused.v1")
        .Add<SearchResumed>("search-resumed.v1")
        .Add<SearchCancelled>("search-cancelled.v1")
        .Add<SearchBudgetChanged>("search-budget-changed.v1")
        .Add<TrialEnqueued>("trial-enqueued.v1")
        .Add<SearchPriorityChanged>("search-priority-changed.v1")
        .Add<TrialCached>("trial-cached.v1")
        .Add<TrialAwaitsTwin>("trial-awaits-twin.v1")
        .Add<SearchSnapshot>("search-snapshot.v6")
        // Fields v1 lacks read as 0: a v1 lease epoch of 0 means "the nth lease" (the state derives it), a v1 counted epoch of 0 "before fencing".
        .Reads<TrialLeased>("trial-leased.v1")
        .Reads<TrialCompleted>("trial-completed.v1")
        // v2 had no operator overrides: they read as null (the spec's budget and priority).
        // v4's ledger lines have no cached_from: none was answered from the ledger (read as null).
        // v5's have no awaits_trial_id: no trial waited for a twin (read as null).
        .Reads<SearchSnapshot>("search-snapshot.v5")
        .Reads<SearchSnapshot>("search-snapshot.v4")
        .Reads<SearchSnapshot>("search-snapshot.v3")
        .Reads<SearchSnapshot>("search-snapshot.v2")
        .Reads<SearchSnapshot>("search-snapshot.v1", old => old with { Entries = old.Entries.Select(e => e.FromV1()).ToArray() });

    /// <summary>The strategy entities' journals (islands, members, the RL controller, MANAS agents) and the search index.</summary>
    public static readonly ManifestTable Entities = new ManifestTable("nas-entities", 4102)
        .Add<IslandEvents.IslandStarted>("island-started.v1")
        .Add<IslandEvents.ChildProposed>("child-proposed.v1")
        .Add<IslandEvents.ChildEvaluated>("child-evaluated.v1")
        .Add<IslandEvents.MigrantAccepted>("migrant-accepted.v1")
        .Add<IslandSnapshot>("island-snapshot.v1")
        .Add<MemberEvents.MemberRecorded>("member-recorded.v1")
        .Add<MemberEvents.MemberRetired>("member-retired.v1")
        .Add<MemberState>("member-snapshot.v1")
        .Add<ControllerEvents.ControllerStarted>("controller-started.v1")
        .Add<ControllerEvents.ArchitectureSampled>("architecture-sampled.v1")
        .Add<ControllerEvents.RewardReceived>("reward-received.v1")
        .Add<ControllerSnapshot>("controller-snapshot.v1")
        .Add<AgentEvents.AgentStarted>("agent-started.v1")
        .Add<AgentEvents.ChoicePicked>("choice-picked.v1")
        .Add<AgentEvents.RewardLearned>("reward-learned.v1")
        .Add<AgentSnapshot>("agent-snapshot.v1")
        .Add<SearchIndexEvents.SearchRegistered>("search-registered.v1")
        .Add<SearchIndexEvents.SearchUnregistered>("search-unregistered.v1")
        .Add<SearchIndexSnapshot>("search-index-snapshot.v1")
        .Add<TrainerRosterEvents.TrainerQuarantined>("trainer-quarantined.v1")
        .Add<TrainerRosterEvents.TrainerReleased>("trainer-released.v1")
        .Add<TrainerRosterEvents.TrialDiedWithProcess>("trial-died-with-process.v1")
        .Add<TrainerRosterEvents.SlotFaultsCleared>("slot-faults-cleared.v1")
        .Add<TrainerRosterSnapshot>("trainer-roster-snapshot.v2")
        .Reads<TrainerRosterSnapshot>("trainer-roster-snapshot.v1");

    /// <summary>Supernet shard journals: file references and versions, never weights.</summary>
    public static readonly ManifestTable Supernets = new ManifestTable("nas-supernets", 4103)
        .Add<SupernetShardEvents.ShardInitialised>("supernet-shard-initialised.v1")
        .Add<SupernetShardEvents.BlockUpdated>("supernet-block-updated.v2")
        .Add<SupernetShardEvents.PushRefused>("supernet-push-refused.v2")
        .Add<SupernetShardSnapshot>("supernet-shard-snapshot.v2")
        // v1 had no round: such pushes are not deduplicated (read as Round = null, Rounds = null).
        .Reads<SupernetShardEvents.BlockUpdated>("supernet-block-updated.v1")
        .Reads<SupernetShardEvents.PushRefused>("supernet-push-refused.v1")
        .Reads<SupernetShardSnapshot>("supernet-shard-snapshot.v1");

    /// <summary>
    /// Every message that can cross nodes: commands, queries and replies of the coordinator, the strategy entities, the
    /// search index, supernet shards and the SPOS driver. Non-finite numbers travel (a diverged trial's NaN metrics reach
    /// the coordinator, which records the trial as failed). The messages of every trial's exchange (v2 of work requests,
    /// leases, heartbeats, reports and their answers) are binary (<see cref="HotMessageCodecs"/>); their JSON v1 still reads.
    /// </summary>
    public static readonly ManifestTable Protocol = new ManifestTable("nas-protocol", 4104, allowNonFinite: true)
        .Add<SearchProtocol.StartSearch>("start-search.v1")
        .Add<SearchProtocol.RequestWork>("request-work.v2", HotMessageCodecs.RequestWork)
        .Reads<SearchProtocol.RequestWork>("request-work.v1")
        .Add<SearchProtocol.WorkAssigned>("work-assigned.v2", HotMessageCodecs.WorkAssigned)
        .Reads<SearchProtocol.WorkAssigned>("work-assigned.v1")
        .Add<SearchProtocol.NoWorkYet>("no-work-yet.v2", HotMessageCodecs.NoWorkYet)
        .Reads<SearchProtocol.NoWorkYet>("no-work-yet.v1")
        .Add<SearchProtocol.SupernetRoundsOpen>("supernet-rounds-open.v1")
        .Add<SearchProtocol.SearchOver>("search-over.v1")
        .Add<SearchProtocol.Heartbeat>("heartbeat.v2", HotMessageCodecs.Heartbeat)
        .Reads<SearchProtocol.Heartbeat>("heartbeat.v1")
        .Add<SearchProtocol.ReportResult>("report-result.v2", HotMessageCodecs.ReportResult)
        .Reads<SearchProtocol.ReportResult>("report-result.v1")
        .Add<SearchProtocol.ReportFailure>("report-failure.v2", HotMessageCodecs.ReportFailure)
        .Reads<SearchProtocol.ReportFailure>("report-failure.v1")
        .Add<SearchProtocol.ResultAccepted>("result-accepted.v2", HotMessageCodecs.ResultAccepted)
        .Reads<SearchProtocol.ResultAccepted>("result-accepted.v1")
        .Add<SearchProtocol.ReportResults>("report-results.v1", HotMessageCodecs.ReportResults)
        .Add<SearchProtocol.TrialResult>("trial-result.v1")
        .Add<SearchProtocol.WorkBatch>("work-batch.v1", HotMessageCodecs.WorkBatch)
        .Add<SearchProtocol.ReclaimLeases>("reclaim-leases.v1")
        .Add<SearchProtocol.LeasesReclaimed>("leases-reclaimed.v1")
        .Add<SearchProtocol.GetStatus>("get-status.v1")
        .Add<SearchProtocol.ProposalsOffered>("proposals-offered.v1")
        .Add<SearchProtocol.PicksOffered>("picks-offered.v1")
        .Add<SearchProtocol.OutcomesAcknowledged>("outcomes-acknowledged.v1")
        .Add<SearchProtocol.PauseSearch>("pause-search.v1")
        .Add<SearchProtocol.ResumeSearch>("resume-search.v1")
        .Add<SearchProtocol.CancelSearch>("cancel-search.v1")
        .Add<SearchProtocol.LeaseLost>("lease-lost.v2")
        .Reads<SearchProtocol.LeaseLost>("lease-lost.v1")
        .Add<SearchProtocol.ChangeBudget>("change-budget.v1")
        .Add<SearchProtocol.ChangePriority>("change-priority.v1")
        .Add<SearchProtocol.EnqueueTrial>("enqueue-trial.v1")
        .Add<SearchProtocol.CommandRefused>("command-refused.v1")
        .Add<TrainerRosterProtocol.GetTrainers>("get-trainers.v1")
        .Add<TrainerRosterProtocol.QuarantineTrainer>("quarantine-trainer.v1")
        .Add<TrainerRosterProtocol.DrainTrainers>("drain-trainers.v1")
        .Add<TrainersView>("trainers-view.v1")
        .Add<TrainerView>("trainer-view.v1")
        .Add<SearchProtocol.CheckLeases>("check-leases.v1")
        .Add<SearchProtocol.LeasesChecked>("leases-checked.v1")
        .Add<SearchStatus>("search-status.v1")
        .Add<TrialView>("trial-view.v1")
        .Add<IslandProtocol.StartIsland>("start-island.v1")
        .Add<IslandProtocol.RequestChildren>("request-children.v1")
        .Add<IslandProtocol.ReportChildOutcome>("report-child-outcome.v1")
        .Add<IslandProtocol.AcceptMigrant>("accept-migrant.v1")
        .Add<IslandProtocol.GetIsland>("get-island.v1")
        .Add<IslandView>("island-view.v1")
        .Add<MemberProtocol.RecordMember>("record-member.v1")
        .Add<MemberProtocol.RetireMember>("retire-member.v1")
        .Add<MemberProtocol.GetMember>("get-member.v1")
        .Add<MemberView>("member-view.v1")
        .Add<ControllerProtocol.StartController>("start-controller.v1")
        .Add<ControllerProtocol.RequestSamples>("request-samples.v1")
        .Add<ControllerProtocol.ReportReward>("report-reward.v1")
        .Add<ControllerProtocol.GetPolicy>("get-policy.v1")
        .Add<PolicyView>("policy-view.v1")
        .Add<AgentProtocol.StartAgent>("start-agent.v1")
        .Add<AgentProtocol.RequestPicks>("request-picks.v1")
        .Add<AgentProtocol.ShareReward>("share-reward.v1")
        .Add<AgentProtocol.GetAgent>("get-agent.v1")
        .Add<AgentView>("agent-view.v1")
        .Add<SearchIndexProtocol.RegisterSearch>("register-search.v1")
        .Add<SearchIndexProtocol.UnregisterSearch>("unregister-search.v1")
        .Add<SearchIndexProtocol.WakeSearches>("wake-searches.v1")
        .Add<SearchIndexProtocol.GetActiveSearches>("get-active-searches.v1")
        .Add<SearchIndexProtocol.ActiveSearches>("active-searches.v1")
        .Add<SupernetShardProtocol.InitialiseShard>("initialise-shard.v1")
        .Add<SupernetShardProtocol.ShardReady>("shard-ready.v1")
        .Add<SupernetShardProtocol.FetchBlocks>("fetch-blocks.v1")
        .Add<SupernetShardProtocol.BlocksFetched>("blocks-fetched.v1")
        .Add<SupernetShardProtocol.PushBlocks>("push-blocks.v1")
        .Add<SupernetShardProtocol.PushAnswered>("push-answered.v1")
        .Add<SupernetShardProtocol.GetShard>("get-shard.v1")
        .Add<SupernetShardView>("supernet-shard-view.v1")
        .Add<SposProtocol.RequestRound>("spos-request-round.v1")
        .Add<SposProtocol.RunRound>("spos-run-round.v1")
        .Add<SposProtocol.NoMoreRounds>("spos-no-more-rounds.v1")
        .Add<SposProtocol.RoundDone>("spos-round-done.v2")
        .Add<SposProtocol.GetWorkers>("spos-get-workers.v1")
        .Add<SposProtocol.WorkersView>("spos-workers-view.v1")
        .Add<SposProtocol.SupernetRanked>("spos-supernet-ranked.v1")
        // v1 carried no reward: it reads as null (a worker of an older trainer; its round teaches MANAS agents nothing).
        .Reads<SposProtocol.RoundDone>("spos-round-done.v1");

    /// <summary>Every area, each bound to its own serializer by the node's hosting.</summary>
    public static readonly IReadOnlyList<ManifestTable> All = [Search, Entities, Supernets, Protocol];
}
