using Akka.Actor;
using NasActors.Engine.Entities;
using NasActors.Engine.Supernets;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Supernets;

/// <summary>
/// An <see cref="EntityTestKit"/> for supernet shards on disk: a temporary store (<see cref="Root"/>, deleted with the kit)
/// and a local "supernet-shard" region over it (a snapshot every 5 events).
/// </summary>
public abstract class SupernetShardTestKit(string rootPrefix) : EntityTestKit
{
    protected string Root { get; } = Directory.CreateTempSubdirectory(rootPrefix).FullName;

    protected IActorRef Shards(string? name = null)
    {
        var props = LocalEntityRegion.Props(id => SupernetShard.Props(id, Root, 5), new SupernetShardMessageExtractor());
        return name is null ? Sys.ActorOf(props) : Sys.ActorOf(props, name);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
