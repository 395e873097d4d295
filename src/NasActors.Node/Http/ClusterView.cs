namespace NasActors.Node.Http;

/// <summary>
/// The cluster as the node serving the page sees it (<c>GET /api/cluster</c>): members from Akka's cluster state,
/// every trainer of every trainer node (from the nodes' rosters; a node that does not answer shows only the trainers
/// the journal sees holding a lease), utilisation per node, and the latest membership and trainer events.
/// </summary>
[NasActors.Engine.Serialization.LocalOnly("a read model served as JSON over HTTP; never sent between actor systems")]
public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberRow> Members, IReadOnlyList<LiveTrainerRow> Trainers,
    IReadOnlyList<NodeUtilisation> Nodes, IReadOnlyList<ClusterEventRow> Recent);

public sealed record MemberRow(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

/// <summary>
/// A trainer: <see cref="State"/> is its phase as <c>nas admin trainer list</c> names it (idle, training, reporting, abandoning,
/// wedged, quarantined, drained), quarantined until <see cref="Until"/> (null: until released) for <see cref="Reason"/>.
/// <see cref="Device"/> is unknown (null) only for a trainer no roster reported.
/// </summary>
public sealed record LiveTrainerRow(string Trainer, string Node, string? Device, string State, string? Search, int? CurrentTrial,
    DateTimeOffset? Until, string? Reason);

/// <summary>Trainers of a node, how many hold a trial and how many take no work. <see cref="Trainers"/> is null where only the journal speaks for the node.</summary>
public sealed record NodeUtilisation(string Node, int? Trainers, int Busy, int OutOfRotation)
{
    public double? Utilisation => Trainers is > 0 and var n ? (double)Busy / n : null;
}

/// <summary>A membership or trainer event, numbered in the order this node saw it (the event stream's ids).</summary>
public sealed record ClusterEventRow(long Id, string Kind, DateTimeOffset At, string Subject, string? Detail);
