using Akka.Actor;

namespace NasActors.Engine.Serialization;

/// <summary>The serializer of every message that can cross nodes (<see cref="NasManifests.Protocol"/>).</summary>
public sealed class ProtocolMessageSerializer(ExtendedActorSystem system) : ManifestSerializer(system, NasManifests.Protocol);
