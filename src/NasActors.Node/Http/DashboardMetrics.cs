using Prometheus;

namespace NasActors.Node.Http;

/// <summary>
/// Prometheus metrics read from the journal at each scrape: trials completed, failed, preempted (handed back),
/// quarantined and lease expiries per search as counters, queue depth (queued and leased) as a gauge. Node-local
/// gauges (journal write latency, trainer utilisation) belong to the process that writes, <c>nas node</c>.
/// </summary>
public sealed class DashboardMetrics
{
    private readonly SearchViewCache _views;
    private readonly Counter _completed, _failed, _preempted, _quarantined, _expiries;
    private readonly Gauge _queue, _budget;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public DashboardMetrics(SearchViewCache views)
    {
        _views = views;
        var factory = Metrics.WithCustomRegistry(Registry);
        var search = new CounterConfiguration { LabelNames = ["search"] };
        _completed = factory.CreateCounter("nas_trials_completed_total", "Trials completed, from the journal.", search);
        _failed = factory.CreateCounter("nas_trials_failed_total", "Trials failed (their own fault or quarantined), from the journal.", search);
        _preempted = factory.CreateCounter("nas_trials_preempted_total", "Leases handed back without a result (preempted, drained, paused, infrastructure faults).", search);
        _quarantined = factory.CreateCounter("nas_trials_quarantined_total", "Poison trials quarantined after max_attempts lost attempts.", search);
        _expiries = factory.CreateCounter("nas_lease_expiries_total", "Leases that expired or were reclaimed without a result.", search);
        _queue = factory.CreateGauge("nas_queue_depth", "Trials proposed and not finished, by state (queued, leased).",
            new GaugeConfiguration { LabelNames = ["search", "state"] });
        _budget = factory.CreateGauge("nas_search_budget_trials", "The search's trial budget.", new GaugeConfiguration { LabelNames = ["search"] });
        Registry.AddBeforeCollectCallback(Refresh);
    }

    private void Refresh()
    {
        foreach (var view in _views.All())
        {
            var s = view.Summary;
            _completed.WithLabels(s.Id).IncTo(s.Completed);
            _failed.WithLabels(s.Id).IncTo(s.Failed);
            _preempted.WithLabels(s.Id).IncTo(s.Preempted);
            _quarantined.WithLabels(s.Id).IncTo(s.Quarantined);
            _expiries.WithLabels(s.Id).IncTo(s.LeaseExpiries);
            _queue.WithLabels(s.Id, "queued").Set(s.Queued);
            _queue.WithLabels(s.Id, "leased").Set(s.Leased);
            _budget.WithLabels(s.Id).Set(s.Budget);
        }
    }
}
