using Akka.Actor;

namespace NasActors.Engine.Serialization;

/// <summary>The search journal's serializer (<see cref="NasManifests.Search"/>), named for configuration and readers.</summary>
public sealed class SearchEventSerializer(ExtendedActorSystem system) : ManifestSerializer(system, NasManifests.Search)
{
    /// <summary>Decodes a stored event or snapshot without an actor system (read-only readers of the journal); old versions are converted here.</summary>
    public static object Decode(byte[] bytes, string manifest) => NasManifests.Search.Decode(bytes, manifest);
}
