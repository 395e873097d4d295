using NasActors.Core.Benchmarks;
using NasActors.Core.Constraints;
using NasActors.Core.Spaces;

namespace NasActors.Core.Specs;

/// <summary>The <c>objective:</c> / <c>objectives:</c> and <c>constraints:</c> blocks.</summary>
public static partial class SpecReader
{
    /// <summary>Metrics an objective may name: measured by the evaluator, or a cost of the network.</summary>
    public static readonly string[] Metrics = ["val_accuracy", "val_loss", "seconds", .. CostQuantities.All];

    private static readonly string[] Modes = ["hard", "soft"];

    private static IReadOnlyList<ObjectiveSpec> ReadObjectives(YamlField root, string folder, SpaceSpec space)
    {
        if (root.Has("objective") && root.Has("objectives"))
            throw root.Error(null, "objectives", "give either 'objective' (one metric) or 'objectives' (a list), not both");
        if (!root.Has("objectives")) return [ReadObjective(root.Mapping("objective", required: false), folder, space)];
        var objectives = root.MappingList("objectives").Select(o => ReadObjective(o, folder, space)).ToArray();
        var repeated = objectives.GroupBy(o => o.Metric).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? objectives : throw root.Error(null, "objectives", $"metric '{repeated.Key}' is listed twice");
    }

    private static ObjectiveSpec ReadObjective(YamlField objective, string folder, SpaceSpec space)
    {
        var metric = objective.Choice("metric", Metrics, "val_accuracy");
        objective.AllowOnly(metric == CostQuantities.Latency
            ? ["metric", "direction", "device", "latency_table", "arch_table"]
            : ["metric", "direction"]);
        var direction = objective.Choice("direction", ["maximise", "minimise"], metric is "val_accuracy" ? "maximise" : "minimise");
        return new ObjectiveSpec(metric, direction == "maximise")
        {
            Latency = metric == CostQuantities.Latency ? ReadLatencySource(objective, folder, space) : null
        };
    }

    private static ConstraintSpec ReadConstraints(YamlField constraints, string folder, SpaceSpec space)
    {
        constraints.AllowOnly(["max_params", .. CostQuantities.All]);
        var maxParams = constraints.OptionalLong("max_params", 1);
        if (maxParams is not null && constraints.Has(CostQuantities.Params))
            throw constraints.Error(null, "max_params", "give either 'max_params' or 'params', not both");
        return new ConstraintSpec(maxParams)
        {
            Limits = CostQuantities.All.Where(constraints.Has)
                .Select(quantity => ReadLimit(constraints.Mapping(quantity), quantity, folder, space)).ToArray()
        };
    }

    /// <summary><c>params|flops|latency: {max: m, mode: hard|soft, weight: w}</c>; latency also names its device and table.</summary>
    private static LimitSpec ReadLimit(YamlField limit, string quantity, string folder, SpaceSpec space)
    {
        string[] keys = ["max", "mode", "weight"];
        limit.AllowOnly(quantity == CostQuantities.Latency ? [.. keys, "device", "latency_table", "arch_table"] : keys);
        var hard = limit.Choice("mode", Modes, "hard") == "hard";
        if (hard && limit.Has("weight")) throw limit.Error(null, "weight", "only a soft limit has a penalty weight (set mode: soft)");
        return new LimitSpec(
            quantity,
            limit.Double("max", null, 1e-9, 1e18),
            hard,
            limit.Double("weight", 1.0, 0, 1e6),
            quantity == CostQuantities.Latency ? ReadLatencySource(limit, folder, space) : null);
    }

    /// <summary>
    /// <c>device</c> (a column of the latency table), <c>latency_table</c> (required) and
    /// <c>arch_table</c> (default: nb201_accuracy.csv beside the latency table), both paths
    /// resolved against the spec's folder.
    /// </summary>
    private static LatencySource ReadLatencySource(YamlField field, string folder, SpaceSpec space)
    {
        if (space is not Nb201SpaceSpec)
            throw field.Error(null, "device", $"latency is measured for NAS-Bench-201 cells only; space.type is '{space.Type}'");
        var table = ExistingFile(field, "latency_table", folder, "latency table");
        var archTable = ExistingFile(field, "arch_table", folder, "arch table", LatencyTable.DefaultArchTablePath(table));
        var devices = BenchmarkTable.ReadColumns(table).Where(c => c != "index").ToArray();
        return new LatencySource(field.Choice("device", devices), table, archTable);
    }
}
