using Akka.Actor;
using Akka.Cluster;
using NasActors.Engine.Serialization;
using static Akka.Cluster.ClusterEvent;

namespace NasActors.Engine.Searches;

/// <summary>
/// A search coordinator's child on a cluster: turns membership events into <see cref="NodeLeft"/> and
/// <see cref="NodeJoined"/> for its parent, which revokes the leases of a departed node's trainers
/// (<see cref="TrainerNodes"/>). A node leaving (SIGTERM drain, <c>cluster leave</c>) or exiting left cleanly; one
/// that was downed (killed and found unreachable, <c>cluster down</c>) did not.
/// </summary>
[LocalOnly("a coordinator's child tells its parent; nothing crosses the network")]
public sealed class TrainerNodeWatch : ReceiveActor
{
    /// <param name="Removed">the node is out of the cluster for good (else leaving, exiting or down: it may still send)</param>
    public sealed record NodeLeft(Address Node, bool Cleanly, bool Removed, string How);

    public sealed record NodeJoined(Address Node);

    public TrainerNodeWatch(IActorRef coordinator)
    {
        Receive<MemberJoined>(e => coordinator.Tell(new NodeJoined(e.Member.Address)));
        Receive<MemberWeaklyUp>(e => coordinator.Tell(new NodeJoined(e.Member.Address)));
        Receive<MemberUp>(e => coordinator.Tell(new NodeJoined(e.Member.Address)));
        Receive<MemberLeft>(e => coordinator.Tell(new NodeLeft(e.Member.Address, Cleanly: true, Removed: false, "is leaving the cluster")));
        Receive<MemberExited>(e => coordinator.Tell(new NodeLeft(e.Member.Address, Cleanly: true, Removed: false, "is leaving the cluster")));
        Receive<MemberDowned>(e => coordinator.Tell(new NodeLeft(e.Member.Address, Cleanly: false, Removed: false, "was downed")));
        Receive<MemberRemoved>(e => coordinator.Tell(new NodeLeft(e.Member.Address, Cleanly: e.PreviousStatus != MemberStatus.Down, Removed: true,
            e.PreviousStatus == MemberStatus.Down ? "was downed and removed" : "left the cluster")));
        ReceiveAny(_ => { });
    }

    public static Props Props(IActorRef coordinator) => Akka.Actor.Props.Create(() => new TrainerNodeWatch(coordinator));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, SubscriptionInitialStateMode.InitialStateAsEvents, typeof(IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
