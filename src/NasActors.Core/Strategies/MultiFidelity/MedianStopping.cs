using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// The median stopping rule (Golovin et al. 2017; Optuna's MedianPruner) on intermediate values:
/// every uniformly drawn configuration trains in steps (epochs <c>min_epochs</c>, then every
/// <c>interval</c> epochs up to the maximum). After a step its objective at that epoch is compared with
/// the median of what earlier configurations reported at the same epoch: at least the median (or fewer
/// than <c>min_trials</c> reports yet) and it continues to the next step — a new trial id with the same
/// seed, so the trainer resumes its epoch checkpoint; below it and it stops. Continuations are served
/// before fresh configurations, so started work finishes first. Never waits.
/// </summary>
public sealed class MedianStopping : StrategyBase
{
    public const string Name = "median_stopping";
    private readonly int[] _steps;
    private readonly int _minTrials;
    private readonly List<double>[] _reports;
    private readonly List<Continuation> _queue = [];
    private readonly SortedDictionary<int, int> _stepOf = new();

    public MedianStopping(StrategyContext context, MedianStoppingOptions options) : base(context)
    {
        var max = options.MaxEpochs > 0 ? options.MaxEpochs : context.Fidelity.Epochs;
        if (options.MinEpochs > max) throw new ArgumentException($"min_epochs {options.MinEpochs} exceeds max_epochs {max}");
        if (options.Interval < 1) throw new ArgumentException($"interval must be at least 1, got {options.Interval}");
        _steps = Enumerable.Range(0, int.MaxValue).Select(k => options.MinEpochs + k * options.Interval)
            .TakeWhile(e => e < max).Append(max).ToArray();
        _minTrials = options.MinTrials;
        _reports = _steps.Select(_ => new List<double>()).ToArray();
    }

    /// <summary>Epochs after which a trial reports and may be stopped; the last is the full training.</summary>
    public IReadOnlyList<int> Steps => _steps;

    protected override (Genotype Genotype, Fidelity Fidelity)? ProposeTrial(int trialId)
    {
        if (_queue.Count > 0)
        {
            var next = _queue[0];
            _queue.RemoveAt(0);
            _stepOf[trialId] = next.Step;
            Continues(next.Seed);
            return (next.Genotype, At(next.Step));
        }
        _stepOf[trialId] = 0;
        return (SampleFeasible(), At(0));
    }

    protected override void OnSucceeded(TrialRequest request, TrialSucceeded outcome)
    {
        if (!_stepOf.Remove(request.TrialId, out var step)) return;
        var earlier = _reports[step];
        var keepGoing = earlier.Count < Math.Max(1, _minTrials) || outcome.Objective >= Median(earlier);
        earlier.Add(outcome.Objective);
        if (keepGoing && step + 1 < _steps.Length) _queue.Add(new Continuation(request.Genotype, request.Seed, step + 1));
    }

    protected override void OnAbandoned(TrialRequest request) => _stepOf.Remove(request.TrialId);

    private Fidelity At(int step) => Context.Fidelity with { Epochs = _steps[step] };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    protected override JsonNode SaveOwnState() => new JsonObject
    {
        ["reports"] = new JsonArray(_reports.Select(r => (JsonNode)ToJsonArray(r)).ToArray()),
        ["queue"] = new JsonArray(_queue.Select(c => (JsonNode)new JsonObject
        {
            ["genotype"] = GenotypeToJson(c.Genotype),
            ["seed"] = c.Seed,
            ["step"] = c.Step
        }).ToArray()),
        ["stepOf"] = new JsonObject(_stepOf.Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value)))
    };

    protected override void RestoreOwnState(JsonNode state)
    {
        var reports = state["reports"]!.AsArray();
        for (var k = 0; k < _reports.Length; k++)
        {
            _reports[k].Clear();
            _reports[k].AddRange(FromJsonArray(reports[k]!));
        }
        _queue.Clear();
        _queue.AddRange(state["queue"]!.AsArray().Select(c => new Continuation(
            GenotypeFromJson(c!["genotype"]!), c["seed"]!.GetValue<long>(), c["step"]!.GetValue<int>())));
        _stepOf.Clear();
        foreach (var (trial, step) in state["stepOf"]!.AsObject()) _stepOf[int.Parse(trial)] = step!.GetValue<int>();
    }

    private sealed record Continuation(Genotype Genotype, long Seed, int Step);
}

/// <param name="MinEpochs">epochs of the first step</param>
/// <param name="Interval">epochs between later steps</param>
/// <param name="MaxEpochs">epochs of the full training; 0 means the spec's training epochs</param>
/// <param name="MinTrials">reports a step needs before it stops anything (Optuna's n_startup_trials)</param>
public sealed record MedianStoppingOptions(int MinEpochs = 1, int Interval = 3, int MaxEpochs = 0, int MinTrials = 5);
