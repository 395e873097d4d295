using Spectre.Console.Cli;

namespace NasActors.Cli.Commands.Admin;

/// <summary>
/// <c>nas admin [host:port] &lt;command&gt;</c>: Petabridge.Cmd's palette (names, arguments, line shapes) plus NasActors' own
/// search and trainer commands, against a node's admin endpoint. Exit codes: 0 done, 2 usage error or unknown id,
/// 4 endpoint unreachable, 5 refused (token, or the cluster's state).
/// </summary>
public static class AdminPalette
{
    public static void Configure(IConfigurator<CommandSettings> admin)
    {
        admin.SetDescription("operate a running cluster through a node's admin endpoint: nas admin [[host:port]] <command> (no command: a prompt)");
        admin.AddBranch("cluster", cluster =>
        {
            cluster.SetDescription("membership: show, status, leader, join, leave, down, down-unreachable");
            cluster.AddCommand<ClusterShowCommand>("show").WithDescription("every member: address | [[roles]] | status | (unreachable), then Count: N nodes");
            cluster.AddCommand<ClusterStatusCommand>("status").WithDescription("the answering node's own member line");
            cluster.AddCommand<ClusterLeaderCommand>("leader").WithDescription("the leader's address");
            cluster.AddCommand<ClusterChangeCommand>("join").WithData("join").WithDescription("make the answering node join the cluster at ADDRESS");
            cluster.AddCommand<ClusterChangeCommand>("leave").WithData("leave").WithDescription("a member (default: the answering node) leaves gracefully");
            cluster.AddCommand<ClusterChangeCommand>("down").WithData("down").WithDescription("mark a member down (it is removed; its shards move)");
            cluster.AddCommand<ClusterChangeCommand>("down-unreachable").WithData("down-unreachable").WithDescription("down every unreachable member");
        });
        admin.AddBranch("cluster-sharding", sharding =>
        {
            sharding.SetDescription("sharded types and their shards and entities per node");
            sharding.AddCommand<ShardingRegionsCommand>("regions").WithDescription("the sharded types (search, island, …)");
            sharding.AddCommand<RegionStatsCommand>("region-stats").WithDescription("shards and entities per node of a type (-r TYPE)");
        });
        admin.AddBranch("actor", actor =>
        {
            actor.SetDescription("the answering node's actors");
            actor.AddCommand<ActorHierarchyCommand>("hierarchy").WithDescription("the actor tree (-d depth, -s start path)");
        });
        admin.AddBranch("log", log =>
        {
            log.SetDescription("the answering node's log");
            log.AddCommand<LogTailCommand>("tail").WithDescription("recent log lines (-n N)");
        });
        admin.AddBranch("search", search =>
        {
            search.SetDescription("searches: list, show, pause, resume, cancel, budget, priority, enqueue");
            search.AddCommand<SearchListCommand>("list").WithDescription("running and paused searches");
            search.AddCommand<SearchShowCommand>("show").WithDescription("one search: phase, progress, priority, best");
            search.AddCommand<SearchVerbCommand>("pause").WithData("pause").WithDescription("stop handing out trials; leases go back");
            search.AddCommand<SearchVerbCommand>("resume").WithData("resume").WithDescription("continue a paused search");
            search.AddCommand<SearchVerbCommand>("cancel").WithData("cancel").WithDescription("end a search for good (results kept)");
            search.AddCommand<SearchNumberCommand>("budget").WithData("budget").WithDescription("set the trial budget (journaled)");
            search.AddCommand<SearchNumberCommand>("priority").WithData("priority").WithDescription("set the fair-share weight trainers give it (journaled)");
            search.AddCommand<SearchEnqueueCommand>("enqueue").WithDescription("a coming trial trains this architecture (journaled)");
        });
        admin.AddBranch("trainer", trainer =>
        {
            trainer.SetDescription("trainers: list, drain, quarantine");
            trainer.AddCommand<TrainerListCommand>("list").WithDescription("node, device, state, current trial, progress, failures, quarantine");
            trainer.AddCommand<TrainerDrainCommand>("drain").WithDescription("drain a trainer, or every trainer of a node (its address)");
            trainer.AddCommand<TrainerQuarantineCommand>("quarantine").WithDescription("take a trainer out of rotation until released (--release)");
        });
    }
}
