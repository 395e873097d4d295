using Akka.Actor;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Engine.Trainers;

/// <summary>
/// What a cluster trainer needs to run rounds of a weight-sharing (SPOS) search's phase 1: the node's supernet builder
/// and its "supernet-shard" region (a proxy on a trainer-only node). Without it a trainer takes only trials.
/// </summary>
public sealed record SupernetTraining(ISupernetProvider Provider, IActorRef Shards);
