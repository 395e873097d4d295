using System.Collections.Concurrent;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Benchmarks;

/// <summary>
/// Replays a <see cref="LearningCurveTable"/>: a trial asking for e epochs gets the validation accuracy
/// and loss at epoch e of one recorded run, so every epoch of the table is a fidelity. Which run (the
/// table's seed) is drawn per query from the trial's seed, so the signal is as noisy as retraining is;
/// nothing but the trial's own numbers is passed on (no mean over seeds, no later epochs).
/// <para>
/// Continuation: a trial with the genotype and seed of an earlier trial that trained fewer epochs is a
/// promotion continuing from that trial's epoch checkpoint (multi-fidelity strategies reuse the seed for
/// this): it reads the same recorded run and costs only the seconds of the extra epochs. Otherwise a
/// trial costs the seconds of all its epochs. Safe to share between concurrent replays.
/// </para>
/// </summary>
/// <remarks>
/// The table holds a grid: a continuous decision (the MLP's learning rate) was trained at
/// <paramref name="gridPoints"/> values only, so a proposed value is served by the nearest grid value
/// (log scale for log-uniform ranges), as HPOBench's tabular benchmarks do.
/// <para>
/// A table still being built holds a uniform sample of its grid (the grid strategy trains a seeded
/// permutation). A grid configuration the table lacks is served by the table's nearest configuration: the
/// fewest differing categorical decisions plus grid steps of continuous ones, ties broken by a hash of both
/// names (no corner of the space is favoured). On a complete table this never happens.
/// </para>
/// </remarks>
public sealed class LearningCurveEvaluator : ITrialEvaluator
{
    private readonly LearningCurveTable table;
    private readonly SearchSpace space;
    private readonly Strategies.ChoiceGrid _grid;
    private readonly (string Key, int[] Choices)[] _rows;
    private readonly ConcurrentDictionary<string, string> _nearest = new(StringComparer.Ordinal);

    public LearningCurveEvaluator(LearningCurveTable table, SearchSpace space, int gridPoints)
    {
        this.table = table;
        this.space = space;
        _grid = new Strategies.ChoiceGrid(space, gridPoints);
        _rows = table.Architectures.Select(a => (a, _grid.ChoicesOf(CanonicalParser.Parse(space, a)))).ToArray();
    }

    /// <summary>Extra metric: the table seed the trial was served from.</summary>
    public const string TableSeedMetric = "table_seed";
    /// <summary>Extra metric: epochs the trial trained to (its fidelity).</summary>
    public const string EpochsMetric = "epochs";
    /// <summary>Extra metric: set on a continued trial, the epochs its checkpoint had already trained.</summary>
    public const string ContinuedFromMetric = "resumed_from_epoch";

    private readonly ConcurrentDictionary<(string Arch, long Seed), int> _trained = new();

    public TrialMetrics Evaluate(TrialRequest trial)
    {
        var epochs = trial.Fidelity.Epochs;
        if (epochs < 1 || epochs > table.Epochs || trial.Fidelity.DataFraction < 1)
            throw new NotSupportedException(
                $"the table records 1..{table.Epochs} epochs on the full data; trial {trial.TrialId} asks for {epochs} epochs on {trial.Fidelity.DataFraction:P0}");
        var arch = TableKey(trial.Genotype);
        var runs = table.Curves(arch);
        var curve = runs[(int)((ulong)trial.Seed % (ulong)runs.Count)];
        var e = epochs - 1;
        var before = 0;
        _trained.AddOrUpdate((arch, trial.Seed), epochs, (_, done) =>
        {
            before = done < epochs ? done : 0;
            return Math.Max(done, epochs);
        });
        var seconds = curve.SecondsUpTo(epochs) - curve.SecondsUpTo(before);
        var extra = new Dictionary<string, double>
        {
            [TableSeedMetric] = curve.Seed,
            [EpochsMetric] = epochs,
            ["flops"] = curve.Flops,
            ["train_loss"] = curve.TrainLoss[e]
        };
        if (before > 0) extra[ContinuedFromMetric] = before;
        return new TrialMetrics(curve.ValidationAccuracy[e], curve.ValidationLoss[e], curve.Parameters, seconds, extra);
    }

    /// <summary>
    /// The table row that serves a genotype: the genotype with continuous values on the grid. The whole genotype,
    /// searched hyperparameters included (a <see cref="JointSpace"/>'s <c>;weight_decay=…;batch_size=…</c>), as
    /// <c>nas bench build-table</c> recorded it: two batch sizes of one architecture are two rows.
    /// </summary>
    public string TableKey(Genotype genotype)
    {
        var choices = _grid.ChoicesOf(genotype);
        var key = _grid.ToGenotype(choices).Canonical;
        return table.Contains(key) ? key : _nearest.GetOrAdd(key, _ => Nearest(key, choices));
    }

    /// <summary>The table's configuration closest to a grid configuration it lacks (see the remarks).</summary>
    private string Nearest(string key, int[] choices) => _rows
        .MinBy(row => (Distance(choices, row.Choices), Fnv1a(key + "\n" + row.Key)))
        .Key ?? throw new InvalidOperationException("the learning-curve table is empty");

    private int Distance(int[] a, int[] b)
    {
        var d = 0;
        for (var i = 0; i < a.Length; i++)
            d += space.Decisions[i] is CategoricalDecision ? (a[i] == b[i] ? 0 : 1) : Math.Abs(a[i] - b[i]);
        return d;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    /// <summary>Grid configurations the table lacks (0 for a finished build).</summary>
    public int Missing => Strategies.GridSearch.Enumerate(_grid).Count(g => !table.Contains(g.Canonical));

    /// <summary>The table row that serves an architecture as a replay reports it (its canonical text).</summary>
    public string TableKey(string architecture) => TableKey(CanonicalParser.Parse(space, architecture));

    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Evaluate(trial));
        }
        catch (Exception e)
        {
            return Task.FromException<TrialMetrics>(e);
        }
    }
}
