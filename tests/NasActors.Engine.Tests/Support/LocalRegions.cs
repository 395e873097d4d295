using Akka.Actor;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Entities;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;

namespace NasActors.Engine.Tests.Support;

/// <summary>The strategy entities' regions without a cluster (<see cref="LocalEntityRegion"/>), for one test's actor system.</summary>
public static class LocalRegions
{
    public static EntityRegions Start(ActorSystem system, string prefix = "r")
    {
        var members = system.ActorOf(LocalEntityRegion.Props(PopulationMember.Props, new MemberMessageExtractor()), $"{prefix}-members");
        IActorRef? islands = null;
        islands = system.ActorOf(LocalEntityRegion.Props(id => IslandActor.Props(id, members, islands!), new IslandMessageExtractor()), $"{prefix}-islands");
        var controllers = system.ActorOf(LocalEntityRegion.Props(RlController.Props, new ControllerMessageExtractor()), $"{prefix}-controllers");
        var agents = system.ActorOf(LocalEntityRegion.Props(ManasAgentEntity.Props, new AgentMessageExtractor()), $"{prefix}-agents");
        return new EntityRegions(islands, members, controllers, agents);
    }
}
