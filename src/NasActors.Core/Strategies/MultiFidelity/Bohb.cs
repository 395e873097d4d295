using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// BOHB (Falkner et al. 2018): Hyperband's schedule (brackets run concurrently, promotions continue
/// from the promoted trial's checkpoint), but fresh configurations come from a TPE-style model. For the
/// largest budget with enough results the results are split into the best <see cref="BohbOptions.TopFraction"/>
/// ("good", at least <see cref="BohbOptions.MinPoints"/>) and all the others ("bad", at least MinPoints;
/// the two sets are disjoint, see <see cref="Split"/>); a <see cref="ParzenDensity"/> l is fitted to the good and g to the bad,
/// <see cref="BohbOptions.Candidates"/> feasible draws from l with widened bandwidths are scored, and the
/// one with the largest l(x)/g(x) runs. A <see cref="BohbOptions.RandomFraction"/> of fresh
/// configurations stays uniformly random, which keeps BOHB's convergence guarantee.
/// </summary>
public sealed class Bohb : StrategyBase
{
    public const string Name = "bohb";
    private readonly BohbOptions _options;
    private readonly FidelityLadder _ladder;
    private readonly HyperbandSchedule _schedule;
    private readonly List<Observation> _observations = [];

    public Bohb(StrategyContext context, MultiFidelityOptions fidelity, BohbOptions options) : base(context)
    {
        _options = options;
        _ladder = new FidelityLadder(fidelity, context.Fidelity);
        _schedule = new HyperbandSchedule(_ladder);
    }

    public HyperbandSchedule Schedule => _schedule;

    /// <summary>Observations needed on a rung per density; d + 1 (d decisions) unless set.</summary>
    private int MinPoints => _options.MinPoints > 0 ? _options.MinPoints : Space.Decisions.Count + 1;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        if (_schedule.Next(trialId, Propose) is not { } next) return null;
        Continues(next.Seed);
        return (next.Genotype, _ladder.At(next.Rung));
    }

    protected override Genotype Propose()
    {
        if (Random.NextDouble() < _options.RandomFraction) return SampleFeasible();
        // The largest budget whose results split into a good and a bad set of at least MinPoints each.
        var rung = _observations.Select(o => o.Epochs).Distinct().OrderDescending()
            .Select(e => _observations.Where(o => o.Epochs == e).ToList())
            .FirstOrDefault(results => Split(results.Count) is not null);
        return rung is null ? SampleFeasible() : FromModel(rung);
    }

    /// <summary>
    /// Sizes of the good and bad sets for <paramref name="count"/> results: good is the best
    /// max(MinPoints, ⌊TopFraction·n⌋), bad is all the others, and both need MinPoints — so the two
    /// sets never share a result (null: too few results for a model yet).
    /// </summary>
    public (int Good, int Bad)? Split(int count)
    {
        var good = Math.Max(MinPoints, (int)Math.Floor(_options.TopFraction * count));
        var bad = count - good;
        return bad >= MinPoints ? (good, bad) : null;
    }

    private Genotype FromModel(List<Observation> results)
    {
        var ranked = results.OrderByDescending(o => o.Score).ThenBy(o => o.TrialId).Select(o => o.Genotype).ToList();
        var (good, _) = Split(ranked.Count)!.Value;
        var l = new ParzenDensity(Space, ranked.Take(good).ToList(), _options.Bandwidth, _options.MinBandwidth);
        var g = new ParzenDensity(Space, ranked.Skip(good).ToList(), _options.Bandwidth, _options.MinBandwidth);
        Genotype? best = null;
        var bestRatio = double.NegativeInfinity;
        for (var c = 0; c < _options.Candidates; c++)
        {
            var candidate = l.Sample(Random, _options.BandwidthFactor);
            if (!Context.IsFeasible(candidate)) continue;
            var ratio = l.Density(candidate) / Math.Max(g.Density(candidate), 1e-32);
            if (ratio > bestRatio) (best, bestRatio) = (candidate, ratio);
        }
        return best ?? SampleFeasible();
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        _observations.Add(new Observation(request.TrialId, request.Genotype, request.Fidelity.Epochs, outcome.Objective));
        _schedule.Report(request.TrialId, outcome.Objective, request.Seed);
    }

    protected override void OnAbandoned(TrialRequest request) => _schedule.Report(request.TrialId, null);

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["schedule"] = _schedule.Save(GenotypeToJson),
        ["observations"] = new JsonArray(_observations.Select(o => (JsonNode)new JsonObject
        {
            ["trial"] = o.TrialId,
            ["genotype"] = GenotypeToJson(o.Genotype),
            ["epochs"] = o.Epochs,
            ["score"] = o.Score
        }).ToArray())
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        _schedule.Restore(state["schedule"]!, GenotypeFromJson);
        _observations.Clear();
        _observations.AddRange(state["observations"]!.AsArray().Select(o => new Observation(
            o!["trial"]!.GetValue<int>(), GenotypeFromJson(o["genotype"]!), o["epochs"]!.GetValue<int>(), o["score"]!.GetValue<double>())));
    }

    private sealed record Observation(int TrialId, Genotype Genotype, int Epochs, double Score);
}

/// <param name="RandomFraction">share of fresh configurations drawn uniformly at random</param>
/// <param name="TopFraction">share of a rung's results that make the "good" density</param>
/// <param name="Candidates">draws from the good density scored per proposal</param>
/// <param name="BandwidthFactor">how much wider the bandwidths are when drawing candidates</param>
/// <param name="Bandwidth">Aitchison–Aitken bandwidth λ of categorical decisions</param>
/// <param name="MinBandwidth">floor of continuous bandwidths (unit coding)</param>
/// <param name="MinPoints">observations per density; 0 means the number of decisions + 1</param>
public sealed record BohbOptions(
    double RandomFraction = 1.0 / 3,
    double TopFraction = 0.15,
    int Candidates = 64,
    double BandwidthFactor = 3,
    double Bandwidth = 0.2,
    double MinBandwidth = 1e-3,
    int MinPoints = 0);
