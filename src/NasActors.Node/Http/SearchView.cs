using System.Globalization;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Node.Storage;
using static NasActors.Engine.Searches.SearchEvents;

namespace NasActors.Node.Http;

/// <summary>
/// One search as the dashboard shows it, folded from its state (what each trial is now) and its journal
/// entries (when things happened, who leased what, how often leases were lost or handed back). Immutable:
/// built once per journal change by <see cref="SearchViewCache"/> and shared by every request.
/// </summary>
[NasActors.Engine.Serialization.LocalOnly("a read model served as JSON over HTTP; never sent between actor systems")]
public sealed record SearchView(SearchSummary Summary, IReadOnlyList<TrialRow> Trials, IReadOnlyList<HistoryPoint> History,
    IReadOnlyList<TrainerRow> Trainers, IReadOnlyList<ObjectiveInfo> Objectives, IReadOnlyList<DecisionInfo> Decisions)
{
    public static SearchView Build(SearchState state, IReadOnlyList<JournalRecord> events)
    {
        var definition = state.Definition;
        var proposedAt = new Dictionary<int, DateTimeOffset>();
        var closedAt = new Dictionary<int, (long Ordering, DateTimeOffset At)>();
        int preempted = 0, expiries = 0;
        foreach (var record in events)
            switch (record.Event)
            {
                case TrialProposed p: proposedAt[p.Trial.TrialId] = record.Written; break;
                case TrialCompleted c: closedAt[c.TrialId] = (record.Ordering, record.Written); break;
                case TrialCached k: closedAt[k.TrialId] = (record.Ordering, record.Written); break; // budget.cache: answered, not trained
                case TrialFailed f: closedAt[f.TrialId] = (record.Ordering, record.Written); break;
                case TrialQuarantined q: closedAt[q.TrialId] = (record.Ordering, record.Written); break;
                case TrialHandedBack: preempted++; break;
                case TrialLeaseExpired: expiries++; break;
            }

        var decisions = definition?.Space.Decisions.Select(d => new DecisionInfo(d.Name, d.Cardinality,
            d is Core.Spaces.CategoricalDecision c ? c.Options : null)).ToArray() ?? [];
        var objectives = definition?.Spec.Objectives.Select(o => new ObjectiveInfo(o.Metric, o.Maximise)).ToArray() ?? [];

        var rows = state.Entries.OrderBy(e => e.Trial.TrialId).Select(e =>
        {
            var id = e.Trial.TrialId;
            var genotype = definition!.Space.FromValues(e.Trial.Values);
            var values = definition.Space.Decisions.Select((d, i) => new DecisionValue(d.Format(e.Trial.Values[i]), d.ToUnit(e.Trial.Values[i]))).ToArray();
            double[]? measured = e.Metrics is { } m
                ? definition.Spec.Objectives.Select(o => Safe(() => o.Measure(genotype, m, definition.Constraints.Costs))).ToArray()
                : null;
            DateTimeOffset? started = proposedAt.TryGetValue(id, out var p) ? p : null;
            DateTimeOffset? ended = closedAt.TryGetValue(id, out var c) ? c.At : null;
            return new TrialRow(id, StateName(e), genotype.Canonical, e.Objective, e.Metrics?.ValidationAccuracy, e.Metrics?.ValidationLoss,
                e.Metrics?.Parameters, e.Metrics?.Seconds, e.TrainerId, e.Leases, started, ended, values, measured, Curve(e.Metrics), e.FailureReason)
            {
                WithinSoftLimits = definition.Constraints.Penalty(genotype) <= 0
            };
        }).ToArray();

        var history = new List<HistoryPoint>();
        double? best = null;
        foreach (var row in rows.Where(r => r.State == "completed").OrderBy(r => closedAt.TryGetValue(r.TrialId, out var c) ? c.Ordering : long.MaxValue).ThenBy(r => r.TrialId))
        {
            best = best is { } b ? Math.Max(b, row.Objective!.Value) : row.Objective!.Value;
            history.Add(new HistoryPoint(history.Count + 1, row.TrialId, row.Objective!.Value, best.Value, row.CompletedAt));
        }

        var trainers = rows.Where(r => r.Trainer is not null).GroupBy(r => r.Trainer!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TrainerRow(g.Key, g.Count(r => r.State == "completed"), g.Count(r => r.State == "failed"),
                g.Count(r => r.State == "quarantined"), g.Where(r => r.State == "leased").Select(r => (int?)r.TrialId).FirstOrDefault()))
            .ToArray();

        var summary = new SearchSummary(state.SearchId.Value, definition?.Spec.Name, state.Phase.ToString(), state.Budget, state.Completed,
            state.Failed, rows.Count(r => r.State == "quarantined"), preempted, expiries, rows.Count(r => r.State is "queued" or "awaiting"),
            rows.Count(r => r.State == "leased"), state.BestTrialId, state.BestTrialId is { } bt ? rows.First(r => r.TrialId == bt).Objective : null,
            state.Phase == SearchPhase.NotStarted ? null : state.StartedAt, state.Message);
        return new SearchView(summary, rows, history, trainers, objectives, decisions);
    }

    /// <summary>A row's state: the ledger's, "quarantined" for a poison trial, "awaiting" for a queued repeat waiting for its twin's result (<c>budget.cache</c>).</summary>
    private static string StateName(LedgerEntry entry) => entry switch
    {
        { Quarantined: true } => "quarantined",
        { State: TrialState.Queued, AwaitsTrialId: not null } => "awaiting",
        _ => entry.State.ToString().ToLowerInvariant()
    };

    /// <summary>Validation accuracy per epoch from the metrics' extras (<c>val_accuracy_epoch_k</c>), in epoch order.</summary>
    private static double[]? Curve(TrialMetrics? metrics)
    {
        if (metrics?.Extra is not { } extra) return null;
        const string prefix = "val_accuracy_epoch_";
        var points = extra.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)
                                       && int.TryParse(kv.Key[prefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            .OrderBy(kv => int.Parse(kv.Key[prefix.Length..], CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToArray();
        return points.Length > 0 ? points : null;
    }

    // An objective the trial did not measure (an old trial, a cost with no model) shows as missing, not as an error.
    private static double Safe(Func<double> measure)
    {
        try { return measure(); }
        catch (KeyNotFoundException) { return double.NaN; }
    }
}

public sealed record SearchSummary(string Id, string? Name, string Phase, int Budget, int Completed, int Failed, int Quarantined,
    int Preempted, int LeaseExpiries, int Queued, int Leased, int? BestTrialId, double? BestObjective, DateTimeOffset? StartedAt, string? Message);

/// <summary>A trial's row. <see cref="Decisions"/> has one value per space decision (label and position in [0, 1]);
/// <see cref="ObjectiveValues"/> the raw measure of every spec objective; <see cref="Curve"/> validation accuracy per epoch.</summary>
public sealed record TrialRow(int TrialId, string State, string Architecture, double? Objective, double? ValAccuracy, double? ValLoss,
    long? Parameters, double? Seconds, string? Trainer, int Leases, DateTimeOffset? ProposedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<DecisionValue> Decisions, double[]? ObjectiveValues, double[]? Curve, string? FailureReason)
{
    /// <summary>False when the trial breaks a soft limit: the hypervolume, as in `nas status`, counts only those within.</summary>
    public bool WithinSoftLimits { get; init; } = true;
}

public sealed record DecisionValue(string Label, double Unit);

public sealed record DecisionInfo(string Name, int? Cardinality, IReadOnlyList<string>? Options);

public sealed record ObjectiveInfo(string Metric, bool Maximise);

/// <summary>The n-th completed trial (in journal order), its objective and the best objective so far.</summary>
public sealed record HistoryPoint(int N, int TrialId, double Objective, double BestSoFar, DateTimeOffset? At);

public sealed record TrainerRow(string Trainer, int Completed, int Failed, int Quarantined, int? CurrentTrial);
