namespace NasActors.Node.Hosting;

/// <summary>How this process joins the actor system: its address, its store and its roles.</summary>
public sealed record NodeOptions
{
    public const string SystemName = "nas";

    /// <summary>Folder of the embedded store: nas.db (journal + snapshots), logs/, searches/.</summary>
    public string StoreDirectory { get; init; } = Path.GetFullPath(".nas");

    public StorageKind Storage { get; init; } = StorageKind.Sqlite;

    /// <summary>PostgreSQL connection string when <see cref="Storage"/> is PostgreSql.</summary>
    public string? ConnectionString { get; init; }

    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port: right for an embedded single-node run.</summary>
    public int Port { get; init; }

    /// <summary>Empty: this node forms a cluster of its own (embedded mode).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>"coordinator" hosts the search shard regions and strategy entities; "trainer" runs trainer actors. Embedded mode: both.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [CoordinatorRole, TrainerRole];

    public const string CoordinatorRole = "coordinator";
    public const string TrainerRole = "trainer";

    /// <summary>A node without the coordinator role reaches the shard regions through proxies.</summary>
    public bool HostsShards => Roles.Contains(CoordinatorRole);

    public bool RunsTrainers => Roles.Contains(TrainerRole);

    /// <summary>Akka's own log lines go to this file instead of the terminal (null: terminal).</summary>
    public string? LogFile { get; init; }

    public string SqliteFile => Path.Combine(StoreDirectory, "nas.db");

    // ---- Cluster nodes (`nas node`): filled by NodeConfiguration and BatchBootstrap. ----

    /// <summary>
    /// The address other nodes reach this one at, when it differs from the bind address
    /// (a container bound to 0.0.0.0 and reached by its service name). Null: <see cref="Hostname"/>.
    /// </summary>
    public string? PublicHostname { get; init; }

    /// <summary>Checkpoints, trial weights and best models; a path every node of the cluster shares. Null: StoreDirectory/artifacts.</summary>
    public string? ArtifactRoot { get; init; }

    public string ArtifactDirectory => ArtifactRoot ?? Path.Combine(StoreDirectory, "artifacts");

    /// <summary>
    /// Builds the supernet of a weight-sharing search (SPOS) on this coordinator node; null: such a search fails to start
    /// its supernet phases here (logged). The CLI gives TorchSharp's.
    /// </summary>
    public NasActors.Core.Strategies.Supernet.ISupernetProvider? Supernets { get; init; }

    /// <summary>
    /// SPOS rounds run on the cluster's trainers, which join a search's supernet training when they ask for work
    /// (`nas node`); false: on workers beside the coordinator (`nas run`, one process).
    /// </summary>
    public bool SupernetRoundsOnTrainers { get; init; }

    /// <summary>Trainer actors on this node; null means auto (one per visible GPU, else one per CPU slot).</summary>
    public int? Trainers { get; init; }

    /// <summary>The GPU ids this process may use (its share of CUDA_VISIBLE_DEVICES); empty: none pinned.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Site layer name (cluster-config/site/NAME.json) this node was configured with, for logs.</summary>
    public string? Site { get; init; }

    /// <summary>How long before the allocation's end the node drains (stops taking trials, checkpoints, leaves).</summary>
    public TimeSpan? DrainBefore { get; init; }

    /// <summary>Infrastructure faults in a row (device errors, lost leases; not trial failures) after which a trainer is quarantined (out of rotation, recorded in the node's roster journal).</summary>
    public int QuarantineAfter { get; init; } = 3;

    /// <summary>How long an automatic quarantine lasts; an operator releases one earlier with `nas admin trainer quarantine ID --release`.</summary>
    public TimeSpan QuarantineCooldown { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The moment the node starts draining, when the batch system's end time is known.</summary>
    public DateTimeOffset? DrainAt { get; init; }

    /// <summary>TLS for remoting; null: plain TCP (right only on loopback or a trusted network).</summary>
    public RemotingTls? Tls { get; init; }

    public ClusterResilience Resilience { get; init; } = new();

    /// <summary>The node's admin HTTP endpoint (`nas submit|pause|resume|cancel --cluster`).</summary>
    public AdminEndpoint Admin { get; init; } = new();

    /// <summary>The Akka address of a node listening at host:port; TLS nodes speak akka.ssl.tcp.</summary>
    public string NodeAddress(string host, int port) => $"{(Tls is null ? "akka.tcp" : "akka.ssl.tcp")}://{SystemName}@{host}:{port}";
}

public enum StorageKind
{
    Sqlite,
    PostgreSql
}

/// <summary>Where `nas node` serves its admin API; <see cref="Token"/> guards mutating calls (required off loopback).</summary>
public sealed record AdminEndpoint
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 9110;

    public string Host { get; init; } = DefaultHost;

    /// <summary>0: no admin endpoint.</summary>
    public int Port { get; init; } = DefaultPort;

    public string? Token { get; init; }

    public bool IsLoopback =>
        Host is "localhost" || (System.Net.IPAddress.TryParse(Host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    /// <summary>Never print the token.</summary>
    public override string ToString() => $"AdminEndpoint {{ Host = {Host}, Port = {Port}, Token = {(Token is null ? "none" : "set")} }}";
}

/// <summary>A PKCS#12 certificate that every node of the cluster holds; peers are accepted only if they present it.</summary>
public sealed record RemotingTls(string CertificatePath, string? Password);

/// <summary>
/// Failure detection and downing tuned for training nodes: a node busy in a long GC or a CPU-bound
/// epoch must not be declared dead, and a partition must leave exactly one side running.
/// </summary>
public sealed record ClusterResilience
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Heartbeats may be missing this long before a node is unreachable (Akka's default is 3 s).</summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The split-brain resolver decides only after membership has been stable this long.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>keep-majority, keep-oldest, static-quorum or down-all (Akka's split-brain resolver strategies).</summary>
    public string SplitBrainStrategy { get; init; } = "keep-majority";
}
