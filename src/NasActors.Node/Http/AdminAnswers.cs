namespace NasActors.Node.Http;

// JSON answers of /api/admin (HTTP only, never Akka messages): named …Info, not …View, which marks remote messages.

/// <summary>A cluster member as `nas admin cluster show` prints it: <c>address | [roles] | status |</c> (+ <c>unreachable</c>).</summary>
public sealed record ClusterMemberInfo(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable);

/// <summary>The cluster as the node answering sees it.</summary>
public sealed record ClusterInfo(string Self, string? Leader, IReadOnlyList<ClusterMemberInfo> Members);

/// <summary>
/// Shards and entities of one region (one node) of a sharded type, with the member's roles, status and the NasActors
/// version it runs; <paramref name="Coordinator"/>: this node hosts the type's shard coordinator (the oldest member of its role).
/// </summary>
public sealed record RegionStatsInfo(string Address, IReadOnlyList<string> Roles, string Status, string Version, bool Coordinator, int Shards, int Entities);

/// <summary>A search as `nas admin search list|show` prints it.</summary>
public sealed record SearchAdminInfo(string SearchId, string? Name, string Phase, int Completed, int Budget, int Failed, int InFlight, int Priority,
    string? Best, string? Message);

/// <summary>An actor of `nas admin actor hierarchy`: its path and depth below the start.</summary>
public sealed record ActorInfo(string Path, int Depth);

/// <summary>Every trainer of the cluster; <paramref name="Unanswered"/> lists trainer nodes that did not answer.</summary>
public sealed record TrainerListInfo(IReadOnlyList<NasActors.Engine.Trainers.Roster.TrainerView> Trainers, IReadOnlyList<string> Unanswered);

/// <summary>Body of POST /api/admin/cluster/{join|leave|down}.</summary>
public sealed record AddressRequest(string? Address);

/// <summary>Body of POST /api/admin/searches/{id}/budget|priority.</summary>
public sealed record NumberRequest(int Value);

public sealed record ArchitectureRequest(string Architecture);
