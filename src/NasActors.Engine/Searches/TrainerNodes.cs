using Akka.Actor;
using Akka.Cluster;
using static NasActors.Engine.Searches.SearchProtocol;

namespace NasActors.Engine.Searches;

/// <summary>
/// A coordinator's view of the cluster nodes its trainers live on (volatile: rebuilt from the messages trainers send and
/// the membership events <see cref="TrainerNodeWatch"/> forwards). A lease held by a trainer whose node left can only
/// expire, delaying its trial by the lease's length; so the coordinator revokes such leases as soon as the node leaves
/// (<see cref="DecideLeft"/>) and gives no new lease to a trainer on a node that is leaving or gone
/// (<see cref="Serves"/>): the answer to a work request still in flight as the node left would reach nobody.
/// Without a cluster (one process, unit tests) only the departures it is told of count.
/// </summary>
internal sealed class TrainerNodes(Cluster? cluster)
{
    private readonly Dictionary<string, Address> _nodeOf = new();
    private readonly HashSet<Address> _departed = [];

    public static TrainerNodes For(ActorSystem system) =>
        new(((ExtendedActorSystem)system).Provider is IClusterActorRefProvider ? Cluster.Get(system) : null);

    /// <summary>Whether membership events exist to watch (a cluster provider).</summary>
    public bool InCluster => cluster is not null;

    /// <summary>Remembers the node of the trainer that sent <paramref name="message"/> (a trainer's id names one process: its node never changes).</summary>
    public void Saw(object message, IActorRef sender)
    {
        var trainerId = message switch
        {
            RequestWork m => m.TrainerId,
            Heartbeat m => m.TrainerId,
            ReportResult m => m.TrainerId,
            ReportResults m => m.TrainerId,
            ReportFailure m => m.TrainerId,
            _ => null
        };
        if (trainerId is not null && !sender.IsNobody() && !_nodeOf.ContainsKey(trainerId)) _nodeOf[trainerId] = NodeOf(sender);
    }

    /// <summary>
    /// Whether a trainer may get a lease: its node has not left, and on a cluster it is a member that is joining or up
    /// (not leaving, exiting, down or removed; one this node has not heard of yet asks again at its next poll).
    /// </summary>
    public bool Serves(IActorRef trainer)
    {
        var node = NodeOf(trainer);
        if (_departed.Contains(node)) return false;
        // The cluster's current state, not a set kept from membership events: a node's status turns Leaving before the
        // event reaches this actor, and a lease given in between would be stranded on the leaving node. (A Slurm test failure
        // once blamed on an event-kept set turned out to be the test reading the next allocation's leases.) The scan is
        // over the members, a handful of nodes.
        return cluster is null
               || cluster.State.Members.FirstOrDefault(m => m.Address.Equals(node)) is { Status: MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining };
    }

    /// <summary>
    /// A node left: no lease for its trainers from now on, and every live lease they hold is revoked (the decided events).
    /// </summary>
    public IReadOnlyList<ISearchEvent> DecideLeft(SearchState state, TrainerNodeWatch.NodeLeft left)
    {
        _departed.Add(left.Node);
        var trainers = _nodeOf.Where(t => t.Value.Equals(left.Node)).Select(t => t.Key).ToHashSet();
        if (left.Removed)
            foreach (var trainer in trainers) _nodeOf.Remove(trainer);
        return trainers.Count == 0 ? [] : state.DecideTrainersLeft(trainers, left.Cleanly, $"the trainer's node {left.Node} {left.How}");
    }

    /// <summary>A node at this address joined (a new incarnation of one that left): its trainers may get leases again.</summary>
    public void Joined(Address node) => _departed.Remove(node);

    /// <summary>The trainer's node: its actor system's address, this node's own for a local trainer on a cluster.</summary>
    private Address NodeOf(IActorRef trainer) =>
        trainer.Path.Address is { HasLocalScope: true } && cluster is not null ? cluster.SelfAddress : trainer.Path.Address;
}
