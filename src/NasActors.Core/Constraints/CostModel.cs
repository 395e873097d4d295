using System.Collections.Concurrent;
using NasActors.Core.Benchmarks;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;

namespace NasActors.Core.Constraints;

/// <summary>
/// Tells the cost of a genotype: parameters and FLOPs from the space's analytic model, latency
/// from a measured table. Latency tables load on first use, so a trainer that never asks pays nothing.
/// </summary>
public sealed class CostModel(SearchSpace space)
{
    private static readonly ConcurrentDictionary<(string, string), Lazy<LatencyTable>> Tables = new();

    public SearchSpace Space => space;

    public double Measure(Genotype genotype, string quantity, LatencySource? latency = null) => quantity switch
    {
        CostQuantities.Params => space.ParameterCount(genotype),
        CostQuantities.Flops => space.FlopCount(genotype) ?? throw new NotSupportedException($"space '{space.Name}' cannot count FLOPs"),
        CostQuantities.Latency when latency is not null =>
            Table(latency).Milliseconds(space.Architecture(genotype).Canonical, latency.Device),
        CostQuantities.Latency => throw new ArgumentException("latency needs a device and a latency table"),
        _ => throw new ArgumentException($"unknown cost '{quantity}'; known: {string.Join(", ", CostQuantities.All)}")
    };

    // Shared across searches in one process: the tables are read-only and large.
    private static LatencyTable Table(LatencySource source) =>
        Tables.GetOrAdd((source.Table, source.ArchTable),
            key => new Lazy<LatencyTable>(() => LatencyTable.Load(key.Item1, key.Item2))).Value;
}
