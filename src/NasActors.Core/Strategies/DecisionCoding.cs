using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies;

/// <summary>
/// How model-based strategies see a decision: a categorical one as its option index, a continuous
/// one as its position in [0, 1] (log scale for log-uniform ranges) or as one of
/// <c>gridPoints</c> evenly spaced positions, for strategies that need finite choices (policies, agents).
/// </summary>
public static class DecisionCoding
{
    public static bool IsCategorical(Decision decision) => decision.Cardinality is not null;

    /// <summary>Number of choices a policy has for <paramref name="decision"/>.</summary>
    public static int Choices(Decision decision, int gridPoints) => decision.Cardinality ?? gridPoints;

    /// <summary>The genotype value of choice <paramref name="choice"/>.</summary>
    public static double ValueOf(Decision decision, int choice, int gridPoints) =>
        IsCategorical(decision) ? choice : FromUnit(decision, gridPoints == 1 ? 0.5 : (double)choice / (gridPoints - 1));

    /// <summary>The choice nearest to a genotype value (inverse of <see cref="ValueOf"/>).</summary>
    public static int ChoiceOf(Decision decision, double value, int gridPoints) =>
        IsCategorical(decision) ? (int)value : (int)Math.Round(ToUnit(decision, value) * (gridPoints - 1));

    /// <summary>Position of a continuous value in its range, in [0, 1].</summary>
    public static double ToUnit(Decision decision, double value) => Math.Clamp(decision.ToUnit(value), 0, 1);

    /// <summary>The (normalised) continuous value at position <paramref name="unit"/> of its range.</summary>
    public static double FromUnit(Decision decision, double unit) => decision.FromUnit(Math.Clamp(unit, 0, 1));
}
