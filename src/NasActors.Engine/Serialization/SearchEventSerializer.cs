using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using NasActors.Engine.Searches;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Engine.Serialization;

/// <summary>
/// Explicit, versioned serializer for everything a search writes to the journal. Payloads are
/// JSON of the event records; the manifest names the schema version. To change an event:
/// keep reading the old manifest (convert it to the new record here), write the new one,
/// and add the old bytes to the recovery tests.
/// </summary>
public sealed class SearchEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4101;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() }
    };

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(SearchStarted)] = "search-started.v1",
        [typeof(TrialProposed)] = "trial-proposed.v1",
        [typeof(TrialLeased)] = "trial-leased.v2",
        [typeof(TrialLeaseExpired)] = "trial-lease-expired.v1",
        [typeof(TrialCompleted)] = "trial-completed.v2",
        [typeof(TrialFailed)] = "trial-failed.v1",
        [typeof(TrialHandedBack)] = "trial-handed-back.v1",
        [typeof(TrialQuarantined)] = "trial-quarantined.v1",
        [typeof(SearchFinished)] = "search-finished.v1",
        [typeof(ProposalsBuffered)] = "proposals-buffered.v1",
        [typeof(SearchPaused)] = "search-paused.v1",
        [typeof(SearchResumed)] = "search-resumed.v1",
        [typeof(SearchCancelled)] = "search-cancelled.v1",
        [typeof(SearchSnapshot)] = "search-snapshot.v2"
    };

    /// <summary>
    /// Older manifests still read. Fields they lack read as 0: a <c>trial-leased.v1</c> epoch of 0 means "the nth
    /// lease" (the state derives it), a <c>trial-completed.v1</c> counted epoch of 0 means "before fencing".
    /// </summary>
    private static readonly Dictionary<string, Type> Legacy = new()
    {
        ["trial-leased.v1"] = typeof(TrialLeased),
        ["trial-completed.v1"] = typeof(TrialCompleted),
        ["search-snapshot.v1"] = typeof(SearchSnapshot)
    };

    private static readonly Dictionary<string, Type> Types =
        Manifests.ToDictionary(kv => kv.Value, kv => kv.Key).Concat(Legacy).ToDictionary(kv => kv.Key, kv => kv.Value);

    public override int Identifier => Id;

    /// <summary>The types bound to this serializer in the actor system's configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => [typeof(ISearchEvent), typeof(SearchSnapshot)];

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().Name} has no manifest in {nameof(SearchEventSerializer)}");

    /// <summary>
    /// The last line of defence for values: JSON has no NaN or infinity, and the coordinator checks metrics before
    /// deciding, so a non-finite number here is a bug; refusing the write (the journal rejects it) beats storing
    /// something recovery cannot read.
    /// </summary>
    public override byte[] ToBinary(object obj)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);
        }
        catch (ArgumentException e) when (e.Message.Contains("infinity", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("NaN", StringComparison.Ordinal))
        {
            throw new SerializationException($"{Manifest(obj)}: refusing to write a non-finite number (NaN or infinity) to the journal: {obj}", e);
        }
    }

    public override object FromBinary(byte[] bytes, string manifest) => Decode(bytes, manifest);

    /// <summary>Decodes a stored event or snapshot without an actor system (read-only readers of the journal); old versions are converted here.</summary>
    public static object Decode(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown search event manifest '{manifest}': written by a newer NasActors?");
        var value = JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"empty payload for {manifest}");
        return manifest == "search-snapshot.v1" && value is SearchSnapshot old
            ? old with { Entries = old.Entries.Select(e => e.FromV1()).ToArray() }
            : value;
    }
}
