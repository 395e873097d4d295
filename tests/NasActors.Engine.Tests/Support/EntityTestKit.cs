using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace NasActors.Engine.Tests.Support;

/// <summary>A TestKit on the in-memory journal with what entity tests do to an actor: ask it, kill it.</summary>
public abstract class EntityTestKit() : TestKit(AkkaConfig.InMemory)
{
    /// <summary>Stops the actor (as a crash would, between messages) and waits until it is gone.</summary>
    protected void Kill(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
    }

    protected T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message);
        return ExpectMsg<T>();
    }
}
