using System.Text.Json.Nodes;
using NasActors.Core.Spaces;

namespace NasActors.Core.Trials;

/// <summary>JSON form of a trial request, used by strategy snapshots. "resolution" is optional (absent in older snapshots).</summary>
public static class TrialJson
{
    public static JsonNode ToJson(TrialRequest request)
    {
        var json = new JsonObject
        {
            ["id"] = request.TrialId,
            ["values"] = new JsonArray(request.Genotype.Values.Select(v => (JsonNode)v).ToArray()),
            ["epochs"] = request.Fidelity.Epochs,
            ["fraction"] = request.Fidelity.DataFraction,
            ["seed"] = request.Seed
        };
        if (request.Fidelity.Resolution is { } resolution) json["resolution"] = resolution;
        return json;
    }

    public static TrialRequest FromJson(JsonNode node, SearchSpace space) => new(
        node["id"]!.GetValue<int>(),
        space.FromValues(node["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()),
        new Fidelity(node["epochs"]!.GetValue<int>(), node["fraction"]!.GetValue<double>()) { Resolution = node["resolution"]?.GetValue<int>() },
        node["seed"]!.GetValue<long>());
}
