using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020): never waits. On each Ask, from the
/// second-highest rung down, a trial that is among the top ⌊n/η⌋ of the n results its rung has so far
/// and was not promoted yet continues on the next rung (a new trial id with the promoted trial's seed, so the
/// trainer resumes that trial's epoch checkpoint and pays only the extra epochs); if there is none, a fresh
/// uniform configuration starts on the lowest rung. Failed trials simply never enter a rung.
/// </summary>
public sealed class Asha : StrategyBase
{
    public const string Name = "asha";
    private readonly FidelityLadder _ladder;
    private readonly List<Result>[] _rungs;
    private readonly SortedDictionary<int, int> _rungOf = new();

    public Asha(StrategyContext context, MultiFidelityOptions options) : base(context)
    {
        _ladder = new FidelityLadder(options, context.Fidelity);
        _rungs = _ladder.Epochs.Select(_ => new List<Result>()).ToArray();
    }

    public FidelityLadder Ladder => _ladder;

    /// <summary>Results per rung in arrival order.</summary>
    public IReadOnlyList<IReadOnlyList<Result>> Rungs => _rungs;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        for (var rung = _ladder.Top - 1; rung >= 0; rung--)
        {
            if (Promotable(rung) is not { } index) continue;
            _rungs[rung][index] = _rungs[rung][index] with { Promoted = true };
            _rungOf[trialId] = rung + 1;
            Continues(_rungs[rung][index].Seed);
            return (_rungs[rung][index].Genotype, _ladder.At(rung + 1));
        }
        _rungOf[trialId] = 0;
        return (SampleFeasible(), _ladder.At(0));
    }

    private int? Promotable(int rung)
    {
        var results = _rungs[rung];
        var top = Enumerable.Range(0, results.Count)
            .OrderByDescending(i => results[i].Score).ThenBy(i => results[i].TrialId)
            .Take(results.Count / _ladder.Eta);
        foreach (var i in top)
            if (!results[i].Promoted) return i;
        return null;
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        if (_rungOf.Remove(request.TrialId, out var rung))
            _rungs[rung].Add(new Result(request.TrialId, request.Genotype, outcome.Objective, false, request.Seed));
    }

    protected override void OnAbandoned(TrialRequest request) => _rungOf.Remove(request.TrialId);

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["rungs"] = new JsonArray(_rungs.Select(r => (JsonNode)new JsonArray(r.Select(x => (JsonNode)new JsonObject
        {
            ["trial"] = x.TrialId,
            ["genotype"] = GenotypeToJson(x.Genotype),
            ["score"] = x.Score,
            ["promoted"] = x.Promoted,
            ["seed"] = x.Seed
        }).ToArray())).ToArray()),
        ["rungOf"] = new JsonObject(_rungOf.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value)))
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        var rungs = state["rungs"]!.AsArray();
        for (var k = 0; k < _rungs.Length; k++)
        {
            _rungs[k].Clear();
            _rungs[k].AddRange(rungs[k]!.AsArray().Select(x => new Result(
                x!["trial"]!.GetValue<int>(), GenotypeFromJson(x["genotype"]!), x["score"]!.GetValue<double>(), x["promoted"]!.GetValue<bool>(),
                x["seed"]?.GetValue<long>()))); // snapshots from before continuation have no seed: such a promotion trains afresh
        }
        _rungOf.Clear();
        foreach (var (trial, rung) in state["rungOf"]!.AsObject())
            _rungOf[int.Parse(trial)] = rung!.GetValue<int>();
    }

    /// <param name="Seed">the trial's seed, which a promotion reuses to continue it (null in old snapshots)</param>
    public sealed record Result(int TrialId, Genotype Genotype, double Score, bool Promoted, long? Seed = null);
}
