namespace NasActors.Core.Tests.Strategies;

/// <summary>A small MLP space and a cheap synthetic objective, so strategy tests run in milliseconds.</summary>
internal static class StrategyTestKit
{
    public static MlpSpace Mlp() => new(new MlpSpaceOptions(
        [1, 2, 3], [16, 32, 64, 128], ["relu", "gelu", "tanh"], [0.0, 0.1, 0.3],
        new LogUniformDecision("lr", 1e-4, 1e-1), InputFeatures: 10, Classes: 3));

    public static StrategyContext Context(long seed = 1, long? maxParameters = null, int epochs = 9) =>
        new(Mlp(), new Fidelity(epochs), seed, maxParameters);

    /// <summary>
    /// Smooth in the choices (gelu, depth 2, wide first layer, lr near 3e-3 are best), grows with epochs
    /// like a learning curve, plus a small fixed per-genotype wobble from its stable hash.
    /// </summary>
    public static double Score(TrialRequest trial)
    {
        var space = Mlp();
        var g = trial.Genotype;
        var score = 0.5
            + (space.Activation(g) == "gelu" ? 0.15 : 0)
            - 0.05 * Math.Abs(space.Depth(g) - 2)
            + 0.02 * (int)g[1]
            - 0.05 * Math.Abs(Math.Log10(space.LearningRate(g)) + 2.5)
            - 0.1 * space.Dropout(g);
        var wobble = (g.Hash % 1000) / 1000.0 * 0.02;
        return (score + wobble) * (1 - 0.5 / trial.Fidelity.Epochs);
    }

    public static TrialSucceeded Succeed(TrialRequest trial, double objective) =>
        new(trial.TrialId, new TrialMetrics(objective, 1 - objective, Mlp().ParameterCount(trial.Genotype), 1), objective);

    public static TrialSucceeded Succeed(TrialRequest trial) => Succeed(trial, Score(trial));

    /// <summary>Asks and tells one trial at a time until <paramref name="trials"/> were evaluated; returns them in order.</summary>
    public static List<(TrialRequest Trial, double Score)> Run(ISearchStrategy strategy, int trials, Func<TrialRequest, double>? objective = null, int firstId = 0)
    {
        objective ??= Score;
        var results = new List<(TrialRequest, double)>();
        for (var id = firstId; results.Count < trials; id++)
        {
            var trial = strategy.Ask(id) ?? throw new InvalidOperationException($"no proposal for trial {id} with nothing pending");
            var score = objective(trial);
            strategy.Tell(Succeed(trial, score));
            results.Add((trial, score));
        }
        return results;
    }
}
