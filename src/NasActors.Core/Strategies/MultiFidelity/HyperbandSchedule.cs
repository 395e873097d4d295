using System.Text.Json.Nodes;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// Hyperband's bracket loop (Li et al. 2018) with synchronous successive halving inside each bracket:
/// bracket s = K..0 starts n = ⌈(K+1)/(s+1)·η^s⌉ fresh configurations on rung K−s; when every trial of
/// a rung has reported, the best ⌊n_i/η⌋ (failures never) re-run on the next rung. Until then the
/// schedule has nothing to offer: stragglers are waited for. After bracket 0 it starts over at K.
/// Pure book-keeping: the caller supplies fresh configurations (uniform for Hyperband, a model for BOHB).
/// </summary>
public sealed class HyperbandSchedule(FidelityLadder ladder)
{
    private int _bracket = ladder.Top;
    private int _step;                        // rungs done in the current bracket
    private int _size = BracketSize(ladder, ladder.Top);
    private readonly List<Genotype> _promoted = [];    // what the current rung re-runs (empty on a bracket's first rung)
    private int _launched;
    private readonly SortedDictionary<int, Entry> _current = new();

    public int Bracket => _bracket;
    public int Rung => ladder.Top - _bracket + _step;

    /// <summary>Trials the current rung runs in all.</summary>
    public int RungSize => _size;

    /// <summary>The next (genotype, rung) to run as trial <paramref name="trialId"/>, or null while waiting.</summary>
    public (Genotype Genotype, int Rung)? Next(int trialId, Func<Genotype?> fresh)
    {
        if (_launched >= _size) return null;
        var genotype = _step == 0 ? fresh() : _promoted[_launched];
        if (genotype is null) return null;
        _launched++;
        _current[trialId] = new Entry(genotype, null);
        return (genotype, Rung);
    }

    /// <param name="score">the objective, or null when the trial failed or was cancelled</param>
    public void Report(int trialId, double? score)
    {
        if (!_current.TryGetValue(trialId, out var entry) || entry.Done) return;
        _current[trialId] = entry with { Score = score, Done = true };
        if (_launched == _size && _current.Values.All(e => e.Done)) CloseRung();
    }

    private void CloseRung()
    {
        var next = (int)Math.Floor(BracketSize(ladder, _bracket) * Math.Pow(ladder.Eta, -(_step + 1)));
        var best = _current.Where(kv => kv.Value.Score is not null)
            .OrderByDescending(kv => kv.Value.Score!.Value).ThenBy(kv => kv.Key)
            .Take(next).Select(kv => kv.Value.Genotype).ToList();
        _current.Clear();
        _promoted.Clear();
        _launched = 0;
        if (_step < _bracket && best.Count > 0)
        {
            _step++;
            _promoted.AddRange(best);
            _size = best.Count;
            return;
        }
        _bracket = _bracket == 0 ? ladder.Top : _bracket - 1;
        _step = 0;
        _size = BracketSize(ladder, _bracket);
    }

    private static int BracketSize(FidelityLadder ladder, int bracket) =>
        (int)Math.Ceiling((ladder.Top + 1.0) / (bracket + 1) * Math.Pow(ladder.Eta, bracket) - 1e-9);

    public JsonNode Save(Func<Genotype, JsonNode> genotypeToJson) => new JsonObject
    {
        ["bracket"] = _bracket,
        ["step"] = _step,
        ["size"] = _size,
        ["launched"] = _launched,
        ["promoted"] = new JsonArray(_promoted.Select(genotypeToJson).ToArray()),
        ["current"] = new JsonArray(_current.Select(kv => (JsonNode)new JsonObject
        {
            ["trial"] = kv.Key,
            ["genotype"] = genotypeToJson(kv.Value.Genotype),
            ["score"] = kv.Value.Score,
            ["done"] = kv.Value.Done
        }).ToArray())
    };

    public void Restore(JsonNode state, Func<JsonNode, Genotype> genotypeFromJson)
    {
        _bracket = state["bracket"]!.GetValue<int>();
        _step = state["step"]!.GetValue<int>();
        _size = state["size"]!.GetValue<int>();
        _launched = state["launched"]!.GetValue<int>();
        _promoted.Clear();
        _promoted.AddRange(state["promoted"]!.AsArray().Select(g => genotypeFromJson(g!)));
        _current.Clear();
        foreach (var c in state["current"]!.AsArray())
            _current[c!["trial"]!.GetValue<int>()] = new Entry(
                genotypeFromJson(c["genotype"]!), c["score"]?.GetValue<double>(), c["done"]!.GetValue<bool>());
    }

    private sealed record Entry(Genotype Genotype, double? Score, bool Done = false);
}
