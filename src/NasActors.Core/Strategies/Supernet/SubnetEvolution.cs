using NasActors.Core.Randomness;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// SPOS phase 2: evolution over subnets scored with the supernet's inherited weights (cheap, so a
/// generation is scored as a batch). Generation 0 is <see cref="SposOptions.Population"/> uniformly
/// random feasible subnets; each next one is half mutations, half uniform crossovers of the best
/// <see cref="SposOptions.Parents"/> scored so far, never a path scored before (paths are told apart by
/// the supernet's <see cref="ISupernet.PathKey"/>). Deterministic for a seed and a sequence of scores.
/// </summary>
public sealed class SubnetEvolution : ISubnetRanker
{
    private const int UnseenAttempts = 100;
    private readonly StrategyContext _context;
    private readonly SposOptions _options;
    private readonly SeededRandom _random;
    private readonly Func<Genotype, string> _key;
    private readonly Dictionary<string, (Genotype Genotype, double Score)> _scored = new(StringComparer.Ordinal);
    private readonly List<Genotype> _awaiting = [];
    private int _generation;

    public SubnetEvolution(StrategyContext context, SposOptions options, Func<Genotype, string>? pathKey = null)
    {
        _key = pathKey ?? (g => g.Canonical);
        _context = context;
        _options = options;
        _random = new SeededRandom(unchecked(context.Seed * 31 + 0x5905));
    }

    public bool Done => _generation >= _options.Generations && _awaiting.Count == 0;

    public int Generation => _generation;

    /// <summary>The next generation to score (empty when done, or while the previous one awaits scores).</summary>
    public IReadOnlyList<Genotype> NextGeneration()
    {
        if (_awaiting.Count > 0 || _generation >= _options.Generations) return [];
        var seen = new HashSet<string>(_scored.Keys, StringComparer.Ordinal);
        var parents = Ranking.Take(_options.Parents).Select(r => r.Genotype).ToArray();
        for (var i = 0; i < _options.Population; i++)
        {
            var child = Breed(parents, i, seen);
            if (child is null) continue;
            seen.Add(_key(child));
            _awaiting.Add(child);
        }
        _generation++;
        return _awaiting.ToArray();
    }

    public void Record(Genotype genotype, double score)
    {
        if (!_awaiting.Remove(genotype)) return;
        _scored[_key(genotype)] = (genotype, score);
    }

    /// <summary>Every subnet scored, best first (ties: canonical form).</summary>
    public IReadOnlyList<(Genotype Genotype, double Score)> Ranking =>
        _scored.Values.OrderByDescending(s => s.Score).ThenBy(s => s.Genotype.Canonical, StringComparer.Ordinal).ToArray();

    private Genotype? Breed(Genotype[] parents, int index, HashSet<string> seen)
    {
        for (var attempt = 0; attempt < UnseenAttempts; attempt++)
        {
            Genotype candidate;
            if (parents.Length == 0) candidate = _context.Space.Sample(_random);
            else if (index % 2 == 0 || parents.Length == 1) candidate = _context.Space.Mutate(parents[_random.NextInt(parents.Length)], _random);
            else candidate = _context.Space.Crossover(parents[_random.NextInt(parents.Length)], parents[_random.NextInt(parents.Length)], _random);
            if (_context.IsFeasible(candidate) && !seen.Contains(_key(candidate))) return candidate;
        }
        return null; // the space is (nearly) exhausted around the parents
    }
}
