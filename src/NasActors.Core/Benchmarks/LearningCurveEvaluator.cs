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
/// </remarks>
public sealed class LearningCurveEvaluator(LearningCurveTable table, SearchSpace space, int gridPoints) : ITrialEvaluator
{
    private readonly Strategies.ChoiceGrid _grid = new(space, gridPoints);

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
    public string TableKey(Genotype genotype) => _grid.ToGenotype(_grid.ChoicesOf(genotype)).Canonical;

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
