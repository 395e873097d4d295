using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies;

/// <summary>
/// Local search (White et al., "Local search is state of the art for NAS benchmarks", 2021):
/// from a random start, evaluate the untried neighbours of the current genotype in random order
/// and move to the first one that scores better (first improvement). When every neighbour has
/// been told and none improved, the current genotype is a local optimum: restart from a new
/// random genotype. Asynchronous: it proposes neighbours while earlier ones run, and waits
/// ("nothing yet") only while its start or its last neighbours are still running.
/// </summary>
public sealed class LocalSearch(StrategyContext context) : StrategyBase(context)
{
    public const string Name = "local";
    private readonly ProposedGenotypes _proposed = new();
    private readonly List<Genotype> _untried = [];
    private Genotype? _current;
    private double _currentScore;
    private Genotype? _start;

    public Genotype? Current => _current;

    protected override Genotype? Propose()
    {
        if (_current is null)
        {
            if (_start is not null) return null;
            return _start = FreshStart();
        }
        while (_untried.Count > 0)
        {
            var next = _untried[^1];
            _untried.RemoveAt(_untried.Count - 1);
            if (_proposed.Add(next)) return next;
        }
        if (PendingTrials.Any()) return null;
        // Local optimum: every neighbour is told and none improved.
        _current = null;
        return _start = FreshStart();
    }

    private Genotype FreshStart()
    {
        var attempts = 0;
        var genotype = SampleFeasible(g => !_proposed.Contains(g) || ++attempts > 64);
        _proposed.Add(genotype);
        return genotype;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        if (request.Genotype.Equals(_start))
        {
            _start = null;
            MoveTo(request.Genotype, outcome.Objective);
        }
        else if (_current is not null && outcome.Objective > _currentScore)
        {
            MoveTo(request.Genotype, outcome.Objective);
        }
    }

    protected override void OnAbandoned(TrialRequest request)
    {
        if (request.Genotype.Equals(_start)) _start = null;
    }

    private void MoveTo(Genotype genotype, double score)
    {
        _current = genotype;
        _currentScore = score;
        _untried.Clear();
        var neighbours = Space.Neighbours(genotype).Where(n => Context.IsFeasible(n) && !_proposed.Contains(n)).ToList();
        // Shuffle (Fisher–Yates) so ties in the neighbourhood are broken by the seed, not by decision order.
        for (var i = neighbours.Count - 1; i > 0; i--)
        {
            var j = Random.NextInt(i + 1);
            (neighbours[i], neighbours[j]) = (neighbours[j], neighbours[i]);
        }
        _untried.AddRange(neighbours);
    }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["current"] = _current is null ? null : ToJsonArray(_current.Values),
        ["score"] = _currentScore,
        ["start"] = _start is null ? null : ToJsonArray(_start.Values),
        ["untried"] = new JsonArray(_untried.Select(g => (JsonNode)ToJsonArray(g.Values)).ToArray()),
        ["proposed"] = _proposed.ToJson()
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _current = state["current"] is { } current ? Space.FromValues(FromJsonArray(current)) : null;
        _currentScore = state["score"]!.GetValue<double>();
        _start = state["start"] is { } start ? Space.FromValues(FromJsonArray(start)) : null;
        _untried.Clear();
        _untried.AddRange(state["untried"]!.AsArray().Select(n => Space.FromValues(FromJsonArray(n!))));
        _proposed.Restore(state["proposed"]!);
    }
}
