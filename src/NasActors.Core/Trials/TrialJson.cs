using System.Text.Json.Nodes;
using NasActors.Core.Spaces;

namespace NasActors.Core.Trials;

/// <summary>JSON form of a trial request, used by strategy snapshots and persisted events.</summary>
public static class TrialJson
{
    public static JsonNode ToJson(TrialRequest request) => new JsonObject
    {
        ["id"] = request.TrialId,
        ["values"] = new JsonArray(request.Genotype.Values.Select(v => (JsonNode)v).ToArray()),
        ["epochs"] = request.Fidelity.Epochs,
        ["fraction"] = request.Fidelity.DataFraction,
        ["seed"] = request.Seed
    };

    public static TrialRequest FromJson(JsonNode node, SearchSpace space) => new(
        node["id"]!.GetValue<int>(),
        space.FromValues(node["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()),
        new Fidelity(node["epochs"]!.GetValue<int>(), node["fraction"]!.GetValue<double>()),
        node["seed"]!.GetValue<long>());
}
