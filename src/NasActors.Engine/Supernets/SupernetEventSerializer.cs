using Akka.Actor;
using NasActors.Engine.Serialization;

namespace NasActors.Engine.Supernets;

/// <summary>The supernet shard journal's serializer (<see cref="NasManifests.Supernets"/>).</summary>
public sealed class SupernetEventSerializer(ExtendedActorSystem system) : ManifestSerializer(system, NasManifests.Supernets)
{
    public static IReadOnlyCollection<string> AllManifests => NasManifests.Supernets.AllManifests;
}
