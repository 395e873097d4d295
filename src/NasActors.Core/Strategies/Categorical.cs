using NasActors.Core.Randomness;

namespace NasActors.Core.Strategies;

/// <summary>Small helpers for discrete distributions shared by policies, agents and density models.</summary>
public static class Categorical
{
    public static double[] Softmax(IReadOnlyList<double> logits)
    {
        var max = logits.Max();
        var e = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>An index drawn with the given probabilities (which sum to one).</summary>
    public static int Sample(IReadOnlyList<double> probabilities, SeededRandom random)
    {
        var u = random.NextDouble();
        for (var k = 0; k < probabilities.Count - 1; k++)
        {
            u -= probabilities[k];
            if (u < 0) return k;
        }
        return probabilities.Count - 1;
    }

    /// <summary>Index of the largest value; the first one on ties.</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        var best = 0;
        for (var k = 1; k < values.Count; k++)
            if (values[k] > values[best]) best = k;
        return best;
    }
}
