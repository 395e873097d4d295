using NasActors.Core.Spaces;
using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// DARTS' phase 2 as a <see cref="ISubnetRanker"/>: nothing to score, the cells are read off the trained α
/// (<see cref="DartsDerivation"/>: the argmax cell, then the cells one edge's runner-up away). A cell's score is the
/// mean over edges of softmax(α) at its op, so the argmax cell scores highest.
/// </summary>
public sealed class AlphaRanking : ISubnetRanker
{
    public AlphaRanking(SearchSpace space, BlockWeights alpha) : this(space, Probabilities(alpha, space.Decisions.Count)) { }

    /// <summary>The ranking read off per-decision probabilities (one row per decision): DARTS' softmax(α), or MANAS agents' distributions.</summary>
    public AlphaRanking(SearchSpace space, IReadOnlyList<IReadOnlyList<double>> probabilities)
    {
        Ranking = DartsDerivation.Rank(space, probabilities, space.Decisions.Count + 1)
            .Select(cell => (cell, cell.Values.Select((v, e) => probabilities[e][(int)v]).Average()))
            .ToArray();
    }

    public IReadOnlyList<(Genotype Genotype, double Score)> Ranking { get; }

    public IReadOnlyList<Genotype> NextGeneration() => [];

    public void Record(Genotype genotype, double score) { }

    /// <summary>softmax over each row of α's single tensor, which must have one row per decision.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> Probabilities(BlockWeights alpha, int rows)
    {
        if (alpha.Tensors is not [{ Shape: [var r, var columns] } tensor] || r != rows)
            throw new ArgumentException($"α must be one tensor of {rows} rows; it is [{string.Join(", ", alpha.Tensors.Select(t => string.Join("×", t.Shape)))}]");
        return Enumerable.Range(0, rows).Select(row =>
        {
            var logits = tensor.Values.Skip(row * (int)columns).Take((int)columns).Select(v => (double)v).ToArray();
            var max = logits.Max();
            var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
            var sum = exp.Sum();
            return (IReadOnlyList<double>)exp.Select(e => e / sum).ToArray();
        }).ToArray();
    }
}
