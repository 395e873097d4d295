using NasActors.Engine;
using Prometheus;

namespace NasActors.Node.Http;

/// <summary>
/// The metrics only a running node knows, added to the dashboard's registry: its trainers by state (its roster's
/// phases), their utilisation and how many are out of rotation (quarantined, wedged, drained), labelled with the node's
/// address so a Prometheus scraping every node sums them; the engine's journal write latency
/// (<see cref="EngineMetrics"/>) and the .NET runtime's own meter (<c>System.Runtime</c>: CPU time, GC, thread pool, lock
/// contention and JIT, e.g. <c>system_runtime_dotnet_jit_compilation_time</c>, which shows whether a node is still tiering its code up),
/// both through prometheus-net's meter adapter.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    /// <summary>The phases of <c>nas admin trainer list</c>, each exported even at zero.</summary>
    private static readonly string[] States = ["idle", "training", "reporting", "abandoning", "wedged", "quarantined", "drained"];
    private readonly Gauge _trainers, _utilisation, _outOfRotation;
    private readonly IDisposable _meterAdapter;

    public NodeMetrics(CollectorRegistry registry, LiveCluster live, Func<IReadOnlyDictionary<string, (string Search, int Trial)>> leases)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _trainers = factory.CreateGauge("nas_trainers", "This node's trainers by state.", new GaugeConfiguration { LabelNames = ["node", "state"] });
        _utilisation = factory.CreateGauge("nas_trainer_utilisation", "Fraction of this node's trainers holding a trial.", new GaugeConfiguration { LabelNames = ["node"] });
        _outOfRotation = factory.CreateGauge("nas_trainers_quarantined", "This node's trainers out of rotation (quarantined, wedged, drained).",
            new GaugeConfiguration { LabelNames = ["node"] });
        registry.AddBeforeCollectCallback(async _ =>
        {
            var view = await live.ViewAsync(leases(), onlySelf: true);
            var mine = view.Trainers.Where(t => t.Node == view.Self).ToArray();
            foreach (var state in States.Union(mine.Select(t => t.State)))
                _trainers.WithLabels(view.Self, state).Set(mine.Count(t => t.State == state));
            var node = view.Nodes.FirstOrDefault(n => n.Node == view.Self);
            _utilisation.WithLabels(view.Self).Set(node?.Utilisation ?? 0);
            _outOfRotation.WithLabels(view.Self).Set(node?.OutOfRotation ?? 0);
        });
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry, MetricFactory = factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name is EngineMetrics.MeterName or RuntimeMeterName
        });
    }

    /// <summary>The runtime's built-in meter (.NET 9 and later).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public void Dispose() => _meterAdapter.Dispose();
}
