using Akka.Actor;
using Akka.Cluster.Sharding;

namespace NasActors.Engine.Entities;

/// <summary>
/// A shard region without a cluster: creates an entity child per entity id on its first message and
/// stops it when it passivates. For single-process tests and the simulator, which need entities
/// addressed by id but no sharding.
/// </summary>
public sealed class LocalEntityRegion(Func<string, Props> entityProps, IMessageExtractor extractor) : UntypedActor
{
    public static Props Props(Func<string, Props> entityProps, IMessageExtractor extractor) =>
        Akka.Actor.Props.Create(() => new LocalEntityRegion(entityProps, extractor));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Passivate passivate:
                Sender.Tell(passivate.StopMessage);
                break;
            case Terminated:
                break;
            default:
                if (extractor.EntityId(message) is not { } id)
                {
                    Unhandled(message);
                    return;
                }
                var name = Uri.EscapeDataString(id);
                var child = Context.Child(name);
                if (child.IsNobody()) child = Context.Watch(Context.ActorOf(entityProps(id), name));
                child.Forward(extractor.EntityMessage(message));
                break;
        }
    }
}
