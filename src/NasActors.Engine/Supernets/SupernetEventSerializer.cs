using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace NasActors.Engine.Supernets;

/// <summary>
/// Explicit, versioned serializer for supernet shard journals: JSON of the records under string
/// manifests with a version suffix (same rules as the other NasActors serializers: to change a
/// record, keep reading the old manifest, write a new one, and add the old bytes to the tests).
/// </summary>
public sealed class SupernetEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4103;

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(SupernetShardEvents.ShardInitialised)] = "supernet-shard-initialised.v1",
        [typeof(SupernetShardEvents.BlockUpdated)] = "supernet-block-updated.v1",
        [typeof(SupernetShardEvents.PushRefused)] = "supernet-push-refused.v1",
        [typeof(SupernetShardSnapshot)] = "supernet-shard-snapshot.v1"
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(kv => kv.Value, kv => kv.Key);

    public override int Identifier => Id;

    /// <summary>The types bound to this serializer in the actor system's configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => [typeof(ISupernetShardEvent), typeof(SupernetShardSnapshot)];

    public static IReadOnlyCollection<string> AllManifests => Types.Keys;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().Name} has no manifest in {nameof(SupernetEventSerializer)}");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType());

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type) ?? throw new SerializationException($"empty payload for {manifest}")
            : throw new SerializationException($"unknown supernet event manifest '{manifest}': written by a newer NasActors?");
}
