using NasActors.Core.Spaces;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;

namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>
/// One seeded search on the NB201 table, driven as a coordinator with one trainer would: ask, look
/// the cell up, tell, until the budget of evaluations is spent. Every trial counts as one evaluation,
/// whatever its fidelity and even when it repeats a cell: the table holds only the 12-epoch signal, so a
/// low-fidelity trial sees the 12-epoch number (no cheap look is credited) and a promotion re-evaluates a
/// cell already seen (no free information). That is the conservative choice for Hyperband, ASHA and BOHB.
/// </summary>
public static class SmokeRun
{
    /// <summary>Epochs of the table's signal; multi-fidelity rungs run below it.</summary>
    public const int TableEpochs = 12;

    /// <summary>The best signal found in <paramref name="evaluations"/> trials.</summary>
    public static double BestFound(ISearchStrategy strategy, Nb201SearchSignal signal, int evaluations)
    {
        var best = double.NegativeInfinity;
        for (var id = 0; id < evaluations; id++)
        {
            // Nothing is pending between trials, so a live strategy must always have a proposal.
            var trial = strategy.Ask(id) ?? throw new InvalidOperationException($"{strategy.GetType().Name} proposed nothing for trial {id} with nothing pending");
            var accuracy = signal.Accuracy(trial.Genotype);
            best = Math.Max(best, accuracy);
            strategy.Tell(new TrialSucceeded(id, new TrialMetrics(accuracy, 1 - accuracy, 0, 1), accuracy));
        }
        return best;
    }

    public static StrategyContext Context(long seed) => new(new Nb201Space(), new Fidelity(TableEpochs), seed);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
