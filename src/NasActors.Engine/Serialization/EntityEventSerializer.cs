using Akka.Actor;

namespace NasActors.Engine.Serialization;

/// <summary>The strategy entities' and search index's journal serializer (<see cref="NasManifests.Entities"/>).</summary>
public sealed class EntityEventSerializer(ExtendedActorSystem system) : ManifestSerializer(system, NasManifests.Entities)
{
    public static IReadOnlyCollection<string> AllManifests => NasManifests.Entities.AllManifests;
}
