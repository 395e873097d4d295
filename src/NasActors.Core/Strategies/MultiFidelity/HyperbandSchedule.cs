using System.Text.Json.Nodes;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// Hyperband's brackets (Li et al. 2018), run concurrently so that no trainer idles: bracket s = K..0
/// starts n = ⌈(K+1)/(s+1)·η^s⌉ fresh configurations on rung K−s; when every trial of a rung has
/// reported, the best ⌊n_i/η⌋ (failures never) continue on the next rung. Within a bracket the halving
/// is synchronous, but while every open bracket waits for stragglers the next bracket of the cycle
/// (K, K−1, .., 0, K, ..) opens and hands out work, as in BOHB's parallel implementation; older brackets
/// are served first, so their promotions are never starved. A promotion continues the promoted trial
/// (its seed is handed back, so the trainer resumes that trial's epoch checkpoint).
/// Pure book-keeping: the caller supplies fresh configurations (uniform for Hyperband, a model for BOHB).
/// </summary>
public sealed class HyperbandSchedule(FidelityLadder ladder)
{
    private readonly List<Bracket> _open = [];
    private int _nextBracket = ladder.Top;

    /// <summary>Open brackets, oldest first (their s).</summary>
    public IReadOnlyList<int> OpenBrackets => _open.Select(b => b.S).ToArray();

    /// <summary>
    /// The next (genotype, rung, seed to continue) to run as trial <paramref name="trialId"/>; the seed is
    /// null for a fresh configuration. Null only when <paramref name="fresh"/> has nothing.
    /// </summary>
    public (Genotype Genotype, int Rung, long? Seed)? Next(int trialId, Func<Genotype?> fresh)
    {
        foreach (var bracket in _open)
            if (bracket.HasWork)
                return bracket.Launch(trialId, fresh);
        var opened = new Bracket(ladder, _nextBracket);
        var launched = opened.Launch(trialId, fresh);
        if (launched is null) return null;
        _open.Add(opened);
        _nextBracket = _nextBracket == 0 ? ladder.Top : _nextBracket - 1;
        return launched;
    }

    /// <param name="score">the objective, or null when the trial failed or was cancelled</param>
    /// <param name="seed">the trial's seed, which its promotion will reuse</param>
    public void Report(int trialId, double? score, long? seed = null)
    {
        var bracket = _open.FirstOrDefault(b => b.Runs(trialId));
        if (bracket is null) return;
        bracket.Report(trialId, score, seed);
        if (bracket.Finished) _open.Remove(bracket);
    }

    public JsonNode Save(Func<Genotype, JsonNode> genotypeToJson) => new JsonObject
    {
        ["next"] = _nextBracket,
        ["brackets"] = new JsonArray(_open.Select(b => b.Save(genotypeToJson)).ToArray())
    };

    public void Restore(JsonNode state, Func<JsonNode, Genotype> genotypeFromJson)
    {
        _open.Clear();
        if (state["brackets"] is JsonArray brackets)
        {
            _nextBracket = state["next"]!.GetValue<int>();
            _open.AddRange(brackets.Select(b => Bracket.Restore(ladder, b!, genotypeFromJson)));
            return;
        }
        // A snapshot from before concurrent brackets: one bracket, the current one, at the top level.
        var bracket = Bracket.Restore(ladder, state, genotypeFromJson);
        _nextBracket = bracket.S == 0 ? ladder.Top : bracket.S - 1;
        if (!bracket.Finished) _open.Add(bracket);
    }

    /// <summary>One bracket s: synchronous successive halving from rung K−s up to the top.</summary>
    private sealed class Bracket(FidelityLadder ladder, int s)
    {
        private int _step;                                               // rungs done in this bracket
        private int _size = Size(ladder, s);
        private readonly List<(Genotype Genotype, long? Seed)> _promoted = []; // what the current rung continues
        private int _launched;
        private readonly SortedDictionary<int, Entry> _current = new();

        public int S { get; private set; } = s;
        public int Rung => ladder.Top - S + _step;
        public bool HasWork => !Finished && _launched < _size;
        public bool Finished { get; private set; }
        public bool Runs(int trialId) => _current.ContainsKey(trialId);

        public (Genotype Genotype, int Rung, long? Seed)? Launch(int trialId, Func<Genotype?> fresh)
        {
            var (genotype, seed) = _step == 0 ? (fresh(), null) : _promoted[_launched];
            if (genotype is null) return null;
            _launched++;
            _current[trialId] = new Entry(genotype, null);
            return (genotype, Rung, seed);
        }

        public void Report(int trialId, double? score, long? seed)
        {
            if (!_current.TryGetValue(trialId, out var entry) || entry.Done) return;
            _current[trialId] = entry with { Score = score, Seed = seed, Done = true };
            if (_launched == _size && _current.Values.All(e => e.Done)) CloseRung();
        }

        private void CloseRung()
        {
            var next = (int)Math.Floor(Size(ladder, S) * Math.Pow(ladder.Eta, -(_step + 1)));
            var best = _current.Where(kv => kv.Value.Score is not null)
                .OrderByDescending(kv => kv.Value.Score!.Value).ThenBy(kv => kv.Key)
                .Take(next).Select(kv => (kv.Value.Genotype, kv.Value.Seed)).ToList();
            _current.Clear();
            _promoted.Clear();
            _launched = 0;
            if (_step < S && best.Count > 0)
            {
                _step++;
                _promoted.AddRange(best);
                _size = best.Count;
                return;
            }
            Finished = true;
        }

        private static int Size(FidelityLadder ladder, int bracket) =>
            (int)Math.Ceiling((ladder.Top + 1.0) / (bracket + 1) * Math.Pow(ladder.Eta, bracket) - 1e-9);

        public JsonNode Save(Func<Genotype, JsonNode> genotypeToJson) => new JsonObject
        {
            ["bracket"] = S,
            ["step"] = _step,
            ["size"] = _size,
            ["launched"] = _launched,
            ["promoted"] = new JsonArray(_promoted.Select(p => genotypeToJson(p.Genotype)).ToArray()),
            ["promotedSeeds"] = new JsonArray(_promoted.Select(p => (JsonNode?)p.Seed).ToArray()),
            ["current"] = new JsonArray(_current.Select(kv => (JsonNode)new JsonObject
            {
                ["trial"] = kv.Key,
                ["genotype"] = genotypeToJson(kv.Value.Genotype),
                ["score"] = kv.Value.Score,
                ["seed"] = kv.Value.Seed,
                ["done"] = kv.Value.Done
            }).ToArray())
        };

        /// <summary>Reads a bracket; seeds are absent in snapshots from before continuation (those promotions train afresh).</summary>
        public static Bracket Restore(FidelityLadder ladder, JsonNode state, Func<JsonNode, Genotype> genotypeFromJson)
        {
            var bracket = new Bracket(ladder, state["bracket"]!.GetValue<int>())
            {
                _step = state["step"]!.GetValue<int>(),
                _size = state["size"]!.GetValue<int>(),
                _launched = state["launched"]!.GetValue<int>()
            };
            var genotypes = state["promoted"]!.AsArray().Select(g => genotypeFromJson(g!)).ToArray();
            var seeds = state["promotedSeeds"]?.AsArray().Select(n => n?.GetValue<long>()).ToArray() ?? new long?[genotypes.Length];
            bracket._promoted.AddRange(genotypes.Zip(seeds));
            foreach (var c in state["current"]!.AsArray())
                bracket._current[c!["trial"]!.GetValue<int>()] = new Entry(
                    genotypeFromJson(c["genotype"]!), c["score"]?.GetValue<double>(), c["done"]!.GetValue<bool>(), c["seed"]?.GetValue<long>());
            return bracket;
        }

        private sealed record Entry(Genotype Genotype, double? Score, bool Done = false, long? Seed = null);
    }
}
