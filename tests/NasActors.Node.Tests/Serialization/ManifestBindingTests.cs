using System.Text;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Serialization;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests.Serialization;

/// <summary>A node started the way the CLI starts one, shared by the binding tests.</summary>
public sealed class SerializingNode : IAsyncLifetime
{
    private readonly string _store = Directory.CreateTempSubdirectory("nas-serialization-").FullName;

    public NasNode Node { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Node = await NasNode.StartAsync(new NodeOptions { StoreDirectory = _store, LogFile = Path.Combine(_store, "logs", "node.log") });

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_store, recursive: true);
    }
}

/// <summary>
/// Every message that can cross the network has a manifest, and the node's actor system serializes every manifest's type
/// with our serializer (never Akka's default JSON with CLR type names), round trip included.
/// </summary>
public sealed class ManifestBindingTests(SerializingNode fixture) : IClassFixture<SerializingNode>
{
    private Akka.Serialization.Serialization Serialization => fixture.Node.System.Serialization;

    [Fact]
    public void Every_remote_capable_engine_and_node_type_has_a_manifest()
    {
        var engine = typeof(NasManifests).Assembly;
        // The rule finds the messages it is meant for (so an empty result below means something).
        Assert.Contains(typeof(SearchProtocol.RequestWork), RemoteMessages.In(engine));
        Assert.Contains(typeof(SearchEvents.TrialCompleted), RemoteMessages.In(engine));
        Assert.Contains(typeof(SearchStatus), RemoteMessages.In(engine));
        // The node's own assembly too: cluster and admin messages added there need manifests as well.
        var missing = new[] { engine, typeof(NasNode).Assembly }.SelectMany(RemoteMessages.WithoutManifest).ToList();
        Assert.True(missing.Count == 0, "no manifest (add one line to NasManifests) for: " + string.Join(", ", missing.Select(t => t.FullName)));
    }

    [Fact]
    public void A_message_without_a_manifest_is_named()
    {
        var missing = RemoteMessages.WithoutManifest(typeof(ProbeProtocol).Assembly);
        Assert.Contains(typeof(ProbeProtocol.Unbound), missing);
        Assert.Contains(typeof(ProbeView), missing);
        Assert.DoesNotContain(typeof(LocalProbeProtocol.Unbound), missing);
    }

    [Fact]
    public void Manifests_are_versioned_and_areas_keep_their_published_identifiers()
    {
        Assert.All(NasManifests.All.SelectMany(t => t.AllManifests), m => Assert.Matches(@"^[a-z0-9-]+\.v\d+$", m));
        Assert.Equal([4101, 4102, 4103, 4104], NasManifests.All.Select(t => t.Identifier));
        Assert.Equal(["nas-search", "nas-entities", "nas-supernets", "nas-protocol"], NasManifests.All.Select(t => t.Name));
    }

    public static TheoryData<string, string> Bound
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var table in NasManifests.All)
            foreach (var type in table.Types)
                data.Add(table.Name, table.Manifest(type));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Bound))]
    public void Every_manifest_round_trips_through_the_actor_systems_own_serializer(string area, string manifest)
    {
        var table = NasManifests.All.Single(t => t.Name == area);
        var type = table.Types.Single(t => table.Manifest(t) == manifest);
        var sample = new MessageSamples(fixture.Node.Searches).Of(type);

        var serializer = Serialization.FindSerializerFor(sample);
        Assert.IsAssignableFrom<ManifestSerializer>(serializer);
        Assert.Equal(table.Identifier, serializer.Identifier);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, sample));

        var bytes = serializer.ToBinary(sample);
        var copy = Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        Assert.Equal(type, copy.GetType());
        // Written again, the copy gives the same bytes (JSON or a binary codec's): no field was lost or changed on the way.
        Assert.Equal(bytes, serializer.ToBinary(copy));
        Assert.DoesNotContain("$type", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_diverged_trials_NaN_metrics_travel_to_the_coordinator_but_never_into_a_journal()
    {
        var metrics = new TrialMetrics(0.5, double.NaN, 10, double.PositiveInfinity);
        var report = new SearchProtocol.ReportResult(new SearchId("s"), "t", 1, 1, metrics);
        var wire = Serialization.FindSerializerFor(report);
        var copy = (SearchProtocol.ReportResult)Serialization.Deserialize(wire.ToBinary(report), wire.Identifier, NasManifests.Protocol.Manifest(report.GetType()));
        Assert.True(double.IsNaN(copy.Metrics.ValidationLoss));
        Assert.Equal(double.PositiveInfinity, copy.Metrics.Seconds);

        var completed = new SearchEvents.TrialCompleted(1, "t", metrics, 0.5, 1);
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serialization.FindSerializerFor(completed).ToBinary(completed));
        Assert.Contains("non-finite", error.Message);
    }

    [Fact]
    public void An_actor_reference_travels_as_its_path_and_resolves_to_the_same_actor()
    {
        var view = new NasActors.Engine.Supernets.SposProtocol.WorkersView([fixture.Node.Searches], 2);
        var serializer = Serialization.FindSerializerFor(view);
        var copy = (NasActors.Engine.Supernets.SposProtocol.WorkersView)Serialization.Deserialize(serializer.ToBinary(view), serializer.Identifier, "spos-workers-view.v1");
        Assert.Equal(fixture.Node.Searches, copy.Workers[0]);
    }
}

/// <summary>Probes for the coverage rule: a protocol message and a reply without manifests, and a local-only protocol.</summary>
public static class ProbeProtocol
{
    public sealed record Unbound(int Value);
}

public sealed record ProbeView(int Value);

[LocalOnly("a probe for the coverage rule")]
public static class LocalProbeProtocol
{
    public sealed record Unbound(int Value);
}
