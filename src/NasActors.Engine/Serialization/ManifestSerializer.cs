using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace NasActors.Engine.Serialization;

/// <summary>
/// The one serializer of NasActors' events, snapshots and messages: JSON payloads under the string manifests of a
/// <see cref="ManifestTable"/>, one instance per area (<see cref="NasManifests"/>). Akka's default serializer (JSON
/// with CLR type names) is never used for them: every type a table lists is bound to its area's serializer.
/// </summary>
public class ManifestSerializer : SerializerWithStringManifest
{
    private readonly ManifestTable _table;
    private readonly JsonSerializerOptions _json;

    public ManifestSerializer(ExtendedActorSystem system, ManifestTable table) : base(system)
    {
        _table = table;
        _json = table.With(new ActorRefConverter(system));
    }

    public override int Identifier => _table.Identifier;

    public override string Manifest(object o) => _table.Manifest(o.GetType());

    public override byte[] ToBinary(object obj) => _table.Encode(obj, _json);

    public override object FromBinary(byte[] bytes, string manifest) => _table.Decode(bytes, manifest, _json);

    /// <summary>An actor reference travels as its full path (with this node's address) and resolves on arrival.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString() ?? throw new JsonException("an actor reference needs its path"));

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
