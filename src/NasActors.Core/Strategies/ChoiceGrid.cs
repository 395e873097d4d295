using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies;

/// <summary>
/// A search space seen as one finite choice per decision, for policies and agents: categorical
/// decisions keep their options, continuous ones are discretised into <c>gridPoints</c> positions
/// (log-spaced for log-uniform ranges) — see <see cref="DecisionCoding"/>.
/// </summary>
public sealed class ChoiceGrid
{
    private readonly int _gridPoints;

    public ChoiceGrid(SearchSpace space, int gridPoints)
    {
        Space = space;
        _gridPoints = gridPoints;
        Choices = space.Decisions.Select(d => DecisionCoding.Choices(d, gridPoints)).ToArray();
    }

    public SearchSpace Space { get; }
    public IReadOnlyList<int> Choices { get; }

    public double[] Values(IReadOnlyList<int> choices) =>
        Space.Decisions.Select((d, i) => DecisionCoding.ValueOf(d, choices[i], _gridPoints)).ToArray();

    public Genotype ToGenotype(IReadOnlyList<int> choices) => Space.Create(Values(choices));

    /// <summary>Nearest choices of a genotype built some other way (e.g. a uniform fallback sample).</summary>
    public int[] ChoicesOf(Genotype genotype) =>
        Space.Decisions.Select((d, i) => DecisionCoding.ChoiceOf(d, genotype[i], _gridPoints)).ToArray();

    /// <summary>Which decisions matter for these choices: only those influenced the reward.</summary>
    public bool[] Active(IReadOnlyList<int> choices)
    {
        var values = Values(choices);
        return Enumerable.Range(0, values.Length).Select(i => Space.IsActive(values, i)).ToArray();
    }
}
