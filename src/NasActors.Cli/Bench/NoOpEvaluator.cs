using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers;

namespace NasActors.Cli.Bench;

/// <summary>An evaluator that does no work, so a benchmark measures only the engine's trial path.</summary>
public sealed class NoOpEvaluator : ITrialEvaluator, IEvaluatorProvider
{
    private static readonly Task<TrialMetrics> Done = Task.FromResult(new TrialMetrics(0.5, 1, 1, 0));

    public ITrialEvaluator For(SearchDefinition definition) => this;

    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken) => Done;
}
