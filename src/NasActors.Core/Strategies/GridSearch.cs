using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Every distinct feasible configuration of the space, each trained <c>repeats</c> times in a row
/// (each repeat gets its own trial seed). Continuous decisions take <c>grid</c> points of their range
/// (log-spaced for log-uniform ones, see <see cref="ChoiceGrid"/>); configurations that differ only in
/// inactive decisions are one. The order is a permutation drawn from the search seed, so a grid stopped
/// half-way has trained a uniform sample of the space, not its first corner. This is how
/// <c>nas bench build-table</c> trains a whole tabular benchmark as an ordinary, resumable search.
/// A failed or cancelled training is queued again (with a new seed), so a transient failure never leaves a
/// configuration short of its repeats; one that always fails ends the search at <c>budget.max_failures</c>.
/// Proposes nothing once the grid is exhausted.
/// </summary>
public sealed class GridSearch : StrategyBase
{
    public const string Name = "grid";
    private readonly Genotype[] _order;
    private readonly int _repeats;
    private int _next;
    private readonly List<Genotype> _retry = [];

    public GridSearch(StrategyContext context, int gridPoints, int repeats) : base(context)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "repeats must be at least 1");
        _repeats = repeats;
        var configurations = Enumerate(new ChoiceGrid(context.Space, gridPoints)).Where(context.IsFeasible).ToArray();
        // The permutation has its own stream so that the trial seeds (drawn from Random) do not depend on the grid size.
        var order = new Randomness.SeededRandom(context.Seed ^ 0x6772696453L);
        for (var i = configurations.Length - 1; i > 0; i--)
        {
            var j = order.NextInt(i + 1);
            (configurations[i], configurations[j]) = (configurations[j], configurations[i]);
        }
        _order = configurations;
    }

    /// <summary>Distinct configurations in the grid (each proposed <c>repeats</c> times).</summary>
    public int Configurations => _order.Length;

    public int Size => _order.Length * _repeats;

    /// <summary>All distinct configurations of a space's grid, in enumeration order.</summary>
    public static IEnumerable<Genotype> Enumerate(ChoiceGrid grid)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var choices = new int[grid.Choices.Count];
        while (true)
        {
            var genotype = grid.ToGenotype(choices);
            if (seen.Add(genotype.Canonical)) yield return genotype;
            var d = choices.Length - 1;
            while (d >= 0 && ++choices[d] == grid.Choices[d]) choices[d--] = 0;
            if (d < 0) yield break;
        }
    }

    protected override Genotype? Propose()
    {
        if (_retry.Count > 0)
        {
            var again = _retry[0];
            _retry.RemoveAt(0);
            return again;
        }
        return _next < Size ? _order[_next++ / _repeats] : null;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome) { }

    protected override void OnAbandoned(TrialRequest request) => _retry.Add(request.Genotype);

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["next"] = _next,
        ["retry"] = new JsonArray(_retry.Select(GenotypeToJson).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _next = state["next"]!.GetValue<int>();
        _retry.Clear();
        if (state["retry"] is JsonArray retry) _retry.AddRange(retry.Select(g => GenotypeFromJson(g!)));
    }
}
