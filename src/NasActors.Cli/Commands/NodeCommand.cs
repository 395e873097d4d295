using NasActors.Engine.Trainers.FaultInjection;
using System.ComponentModel;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using NasActors.Engine.Searches.Index;
using NasActors.Engine.Supernets;
using NasActors.Engine.Trainers;
using NasActors.Engine.Trainers.Roster;
using NasActors.Node.Configuration;
using NasActors.Node.Hosting;
using NasActors.Node.Http;
using NasActors.Node.Storage;
using Spectre.Console.Cli;

namespace NasActors.Cli.Commands;

/// <summary>
/// <c>nas node</c>: a long-running cluster member, configured from the layered cluster-config folder
/// (<see cref="NodeConfiguration.LoadForThisProcess"/>) with the options below as the last layer. Coordinator
/// nodes host the searches; trainer nodes run trainers that serve every running search. SIGTERM, SIGUSR1,
/// SIGINT or the allocation's end (<c>--drain-before</c>) drain it: no new trials, running ones stop at their
/// next epoch boundary and are handed back as preempted, then it leaves the cluster and exits 0.
/// </summary>
public sealed class NodeCommand : AsyncCommand<NodeCommand.Settings>
{
    private const PosixSignal SigUsr1 = (PosixSignal)10; // Linux; PosixSignal accepts raw numbers
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <DIR>")]
        [Description("the cluster-config folder (base.json, storage/, role/, site/)")]
        [DefaultValue("cluster-config")]
        public string Config { get; set; } = "cluster-config";

        [CommandOption("--site <NAME>")]
        [Description("site layer: cluster-config/site/NAME.json")]
        public string? Site { get; set; }

        [CommandOption("--roles <ROLES>")]
        [Description("coordinator, trainer or coordinator,trainer")]
        public string? Roles { get; set; }

        [CommandOption("--seeds <SEEDS>")]
        [Description("host:port,... of the seed nodes (none: this node starts the cluster)")]
        public string? Seeds { get; set; }

        [CommandOption("--host <HOST>")]
        [Description("remoting bind address (default loopback)")]
        public string? Host { get; set; }

        [CommandOption("--port <PORT>")]
        [Description("remoting port")]
        public string? Port { get; set; }

        [CommandOption("--store <KIND>")]
        [Description("sqlite (one node; takes the store lock) or postgres")]
        public string? Store { get; set; }

        [CommandOption("--connection <TEXT>")]
        [Description("PostgreSQL connection string (better: NAS__Node__ConnectionString or Node:ConnectionStringFile)")]
        public string? Connection { get; set; }

        [CommandOption("--trainers <N>")]
        [Description("trainers on this node: a number or auto (one per visible GPU, else per CPU)")]
        public string? Trainers { get; set; }

        [CommandOption("--artifacts <DIR>")]
        [Description("artifact root every node shares (checkpoints, trial weights, best models)")]
        public string? Artifacts { get; set; }

        [CommandOption("--drain-before <DURATION>")]
        [Description("drain this long before the batch allocation ends (e.g. 2m)")]
        public string? DrainBefore { get; set; }

        [CommandOption("--admin-port <PORT>")]
        [Description("admin HTTP API port (default 9110; 0: none); loopback unless Admin:Host is set")]
        public string? AdminPort { get; set; }

        [CommandOption("--token-file <FILE>")]
        [Description("file holding the admin API's bearer token (required when the API is not on loopback)")]
        public string? TokenFile { get; set; }

        public Dictionary<string, string?> Overrides() => new Dictionary<string, string?>
        {
            [NodeKeys.Site] = Site,
            [NodeKeys.Roles] = Roles,
            [NodeKeys.Seeds] = Seeds,
            [NodeKeys.Host] = Host,
            [NodeKeys.Port] = Port,
            [NodeKeys.Storage] = Store,
            [NodeKeys.ConnectionString] = Connection,
            [NodeKeys.Trainers] = Trainers,
            [NodeKeys.ArtifactRoot] = Artifacts,
            [NodeKeys.DrainBefore] = DrainBefore,
            [NodeKeys.AdminPort] = AdminPort,
            [NodeKeys.AdminTokenFile] = TokenFile
        }.Where(kv => kv.Value is not null).ToDictionary();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        NodeOptions options;
        try
        {
            options = NodeConfiguration.LoadForThisProcess(settings.Config, settings.Overrides());
        }
        catch (NodeConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
        if (options.LogFile is null) options = options with { LogFile = Path.Combine(options.StoreDirectory, "logs", $"node-{options.Port}.log") };
        // Coordinator nodes run SPOS's supernet phases; every node's trainers train the supernet's rounds.
        options = options with { Supernets = new TorchSupernetProvider(), SupernetRoundsOnTrainers = true };

        // SQLite has one writer: the store lock. PostgreSQL takes many nodes; Akka's own fencing keeps entities single.
        using var writer = options.Storage == StorageKind.Sqlite ? StoreLock.Acquire(options.StoreDirectory, "nas node") : null;
        if (options.Storage == StorageKind.Sqlite) SqliteStore.Prepare(options.SqliteFile);

        using var drain = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; drain.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; drain.Cancel(); });
        using var sigusr1 = OperatingSystem.IsLinux() ? PosixSignalRegistration.Create(SigUsr1, c => { c.Cancel = true; drain.Cancel(); }) : null;
        if (options.DrainAt is { } at) drain.CancelAfter(at - DateTimeOffset.UtcNow is { Ticks: > 0 } untilDrain ? untilDrain : TimeSpan.Zero);

        await using var node = await NasNode.StartAsync(options);
        var left = new TaskCompletionSource();
        node.System.RegisterOnTermination(() => left.TrySetResult());
        var started = options.RunsTrainers ? await StartTrainersAsync(node, options) : default;
        var trainers = started.Roster;
        var trainerCount = started.Settings?.Length ?? 0;
        await using var web = options.Admin.Port > 0
            ? await NodeWebHost.StartAsync(node, options, (started.Settings ?? []).Select(t => new LiveCluster.LocalTrainer(t.TrainerId, t.Device)).ToArray())
            : null;

        var cluster = Cluster.Get(node.System);
        var self = cluster.SelfAddress;
        // "up": started and listening (scripts and tests wait for this line). Membership comes later, when the cluster has
        // admitted the node; until then it is Joining and the split-brain resolver does not count it. A second line says so.
        Console.WriteLine($"node {self} up: roles {string.Join(",", options.Roles)}, {trainerCount} trainer(s), store {options.Storage}"
                          + (web is null ? "" : $", admin {web.Url}"));
        cluster.RegisterOnMemberUp(() => Console.WriteLine($"node {self}: member of the cluster (Up)"));

        // Runs until drained (signal, allocation end) or the cluster removed this node (split-brain resolver, downing).
        await Task.WhenAny(left.Task, Task.Delay(Timeout.Infinite, drain.Token).ContinueWith(_ => { }));
        if (!left.Task.IsCompleted)
        {
            Console.WriteLine($"node {self}: draining ({trainerCount} trainer(s))");
            var drained = trainers is null ? 0 : await DrainAsync(trainers);
            Console.WriteLine($"node {self}: {drained}/{trainerCount} trainer(s) drained; leaving the cluster");
        }
        return ExitCodes.Done;
    }

    /// <summary>Drains every trainer of the node through its roster; the number drained (0 if the drain timed out).</summary>
    private static async Task<int> DrainAsync(IActorRef roster)
    {
        try
        {
            var view = await roster.Ask<TrainersView>(new TrainerRosterProtocol.DrainTrainers(null, Wait: true, "node drain"), DrainTimeout);
            return view.Trainers.Count(t => t.Phase == "drained");
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>The node's trainer roster (<c>/user/trainers</c>): it starts the trainers and journals their quarantines.</summary>
    private static async Task<(IActorRef? Roster, TrainerSettings[]? Settings)> StartTrainersAsync(NasNode node, NodeOptions options)
    {
        var index = await node.RegionAsync<SearchIndexRegion>();
        var supernets = new SupernetTraining(options.Supernets!, await node.RegionAsync<SupernetShardRegion>());
        var count = options.Trainers ?? (options.Devices.Count > 0 ? options.Devices.Count : Environment.ProcessorCount);
        // NAS_FAULTS is a testing hook (docs/RELIABILITY.md): unset, this is the real provider.
        var evaluators = FaultInjectingEvaluatorProvider.FromEnvironment(new TorchEvaluatorProvider());
        var incarnation = $"{Environment.MachineName}-{Environment.ProcessId}";
        var self = Cluster.Get(node.System).SelfAddress;
        // Per slot, a node-local file that exists only while a trial runs: one left behind means the trial died with the process.
        var markers = Path.Combine(options.StoreDirectory, "trainers");
        var settings = Enumerable.Range(0, count).Select(i => new TrainerSettings($"{incarnation}-t{i}", options.ArtifactDirectory, Threads: 1,
            Device: i < options.Devices.Count ? $"cuda:{i}" : "cpu", FailuresBeforeCooldown: options.QuarantineAfter, CooldownPeriod: options.QuarantineCooldown,
            InFlightMarker: Path.Combine(markers, $"{self.Host}-{self.Port}-{TrainerRoster.SlotName(i)}.trial"))).ToArray();
        return (node.System.ActorOf(TrainerRoster.Supervised(self.ToString(), $"{self.Host}-{self.Port}", settings,
            s => TrainerActor.ForCluster(node.Searches, index, evaluators, s, supernets)), TrainerRoster.Name), settings);
    }
}
