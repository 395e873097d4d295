using Akka.Actor;

namespace NasActors.Engine.Entities;

/// <summary>
/// The shard regions (or local stand-ins) a search coordinator talks to. Given to the coordinator
/// through its Props so it never looks regions up statically.
/// </summary>
public sealed record EntityRegions(IActorRef Islands, IActorRef Members, IActorRef Controllers, IActorRef Agents)
{
    /// <summary>Where a coordinator registers itself so it restarts after a full restart; none in unit tests.</summary>
    public IActorRef? SearchIndex { get; init; }

    /// <summary>The "supernet-shard" region a weight-sharing search (SPOS) keeps its supernet in; none: such a search cannot run here.</summary>
    public IActorRef? SupernetShards { get; init; }

    /// <summary>Builds the supernet of a weight-sharing search (the CLI's is TorchSharp's); none: such a search cannot run here.</summary>
    public Core.Strategies.Supernet.ISupernetProvider? Supernets { get; init; }

    /// <summary>SPOS rounds run on the trainers that ask for work (a cluster), not on workers beside the coordinator (one process).</summary>
    public bool SupernetRoundsOnTrainers { get; init; }
}

/// <summary>Which region a message for an entity goes through.</summary>
public enum EntityKind
{
    Island,
    Member,
    Controller,
    Agent
}

/// <summary>A message a pure state asks its actor to send to an entity.</summary>
public sealed record Outgoing(EntityKind Kind, object Message);
