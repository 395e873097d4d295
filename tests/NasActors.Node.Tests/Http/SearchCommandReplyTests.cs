using System.Text.Json;
using NasActors.Core.Specs;
using NasActors.Engine.Searches;
using NasActors.Node.Http;

namespace NasActors.Node.Tests.Http;

/// <summary>GET /api/searches/{id}/status (and the cluster commands' replies) carry a multi-objective search's hypervolume with its reference point.</summary>
public class SearchCommandReplyTests
{
    private static SearchStatus Status(double? hypervolume, IReadOnlyList<ReferenceValue>? reference) =>
        new(new SearchId("s"), SearchPhase.Running, "s", 10, 4, 0, 1, null, null, null, null)
        {
            Hypervolume = hypervolume,
            HypervolumeReference = reference
        };

    [Fact]
    public void The_reply_carries_the_hypervolume_and_its_reference_point_through_json()
    {
        var reference = new[] { new ReferenceValue("val_accuracy", true, 0.62), new ReferenceValue("params", false, 1234.5) };
        var json = JsonSerializer.Serialize(SearchCommandReply.Of(Status(3.25, reference)), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var read = JsonSerializer.Deserialize<SearchCommandReply>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Contains("\"hypervolume\":{\"value\":3.25,\"reference\":[{\"metric\":\"val_accuracy\",\"maximise\":true,\"value\":0.62}", json);
        Assert.Equal("3.25 (reference point: val_accuracy 0.62 max, params 1234.5 min)", read.Hypervolume!.Describe());
    }

    [Fact]
    public void A_search_without_a_hypervolume_replies_without_one() =>
        Assert.Null(SearchCommandReply.Of(Status(null, null)).Hypervolume);
}
