using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Benchmarks;

/// <summary>
/// Evaluates a trial by looking its architecture up in a <see cref="TabularBenchmark"/>: the signal
/// becomes <see cref="TrialMetrics.ValidationAccuracy"/> and the cost <see cref="TrialMetrics.Seconds"/>;
/// nothing else of the row is passed on (no loss, no extra metrics). The table records one
/// training length, <see cref="Epochs"/>: a trial asking for another fidelity fails rather than
/// receive numbers the table does not have. <paramref name="signalScale"/> converts the table's unit
/// (NB201 stores percent) to the engine's (accuracy as a fraction).
/// </summary>
public sealed class TabularEvaluator(TabularBenchmark benchmark, SearchSpace space, int epochs = 12, double signalScale = 1) : ITrialEvaluator
{
    public int Epochs { get; } = epochs;
    public double SignalScale { get; } = signalScale;

    public TrialMetrics Evaluate(TrialRequest trial)
    {
        if (trial.Fidelity.Epochs != Epochs || trial.Fidelity.DataFraction < 1)
            throw new NotSupportedException(
                $"the table records {Epochs}-epoch training on the full data; trial {trial.TrialId} asks for {trial.Fidelity.Epochs} epochs on {trial.Fidelity.DataFraction:P0}");
        var arch = space.Architecture(trial.Genotype).Canonical;
        var outcome = benchmark.Evaluate(arch);
        return new TrialMetrics(outcome.Signal * SignalScale, 0, space.ParameterCount(trial.Genotype), outcome.Cost);
    }

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
