using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using NasActors.Engine.Agents;
using NasActors.Engine.Controllers;
using NasActors.Engine.Islands;
using NasActors.Engine.Members;
using NasActors.Engine.Searches.Index;

namespace NasActors.Engine.Serialization;

/// <summary>
/// Explicit, versioned serializer for the strategy entities' journals (islands, members, the RL
/// controller, MANAS agents) and the search index: JSON of the records under string manifests with
/// a version suffix. Same rules as <see cref="SearchEventSerializer"/>: to change a record, keep
/// reading the old manifest, write a new one, and add the old bytes to the tests.
/// </summary>
public sealed class EntityEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4102;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() }
    };

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(IslandEvents.IslandStarted)] = "island-started.v1",
        [typeof(IslandEvents.ChildProposed)] = "child-proposed.v1",
        [typeof(IslandEvents.ChildEvaluated)] = "child-evaluated.v1",
        [typeof(IslandEvents.MigrantAccepted)] = "migrant-accepted.v1",
        [typeof(IslandSnapshot)] = "island-snapshot.v1",
        [typeof(MemberEvents.MemberRecorded)] = "member-recorded.v1",
        [typeof(MemberEvents.MemberRetired)] = "member-retired.v1",
        [typeof(MemberState)] = "member-snapshot.v1",
        [typeof(ControllerEvents.ControllerStarted)] = "controller-started.v1",
        [typeof(ControllerEvents.ArchitectureSampled)] = "architecture-sampled.v1",
        [typeof(ControllerEvents.RewardReceived)] = "reward-received.v1",
        [typeof(ControllerSnapshot)] = "controller-snapshot.v1",
        [typeof(AgentEvents.AgentStarted)] = "agent-started.v1",
        [typeof(AgentEvents.ChoicePicked)] = "choice-picked.v1",
        [typeof(AgentEvents.RewardLearned)] = "reward-learned.v1",
        [typeof(AgentSnapshot)] = "agent-snapshot.v1",
        [typeof(SearchIndexEvents.SearchRegistered)] = "search-registered.v1",
        [typeof(SearchIndexEvents.SearchUnregistered)] = "search-unregistered.v1",
        [typeof(SearchIndexSnapshot)] = "search-index-snapshot.v1"
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(kv => kv.Value, kv => kv.Key);

    public override int Identifier => Id;

    /// <summary>The types bound to this serializer in the actor system's configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes =>
    [
        typeof(IIslandEvent), typeof(IslandSnapshot), typeof(IMemberEvent), typeof(MemberState),
        typeof(IControllerEvent), typeof(ControllerSnapshot), typeof(IAgentEvent), typeof(AgentSnapshot),
        typeof(ISearchIndexEvent), typeof(SearchIndexSnapshot)
    ];

    public static IReadOnlyCollection<string> AllManifests => Types.Keys;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().Name} has no manifest in {nameof(EntityEventSerializer)}");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"empty payload for {manifest}")
            : throw new SerializationException($"unknown entity event manifest '{manifest}': written by a newer NasActors?");
}
