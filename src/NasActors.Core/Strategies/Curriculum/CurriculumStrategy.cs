using System.Text.Json.Nodes;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.Curriculum;

/// <summary>
/// Runs a strategy through a curriculum of stages. A stage proposes at its fidelity until
/// <see cref="StageSpec.Trials"/> trials completed (failures are replaced), starting with the
/// previous stage's promoted genotypes re-evaluated at the new fidelity; then the next stage begins.
/// The inner strategy is one object for the whole plan, so what it learned carries across stages;
/// it runs in its own trial-id space (promotions are not its proposals). A proposal outside the
/// stage's restriction is cancelled back to the inner strategy and another asked for; after
/// <see cref="RestrictionAttempts"/> refusals the proposal is projected onto the nearest allowed options.
/// Deterministic like any strategy, so the coordinator's replay rebuilds the stage a crash interrupted; and replay
/// adopts the recorded trials (<see cref="Adopt"/>), so a journal still recovers when today's inner strategy would
/// propose something else.
/// </summary>
public sealed class CurriculumStrategy : ISearchStrategy, IAdoptsRecordedProposals
{
    private const int RestrictionAttempts = 100;
    private readonly ISearchStrategy _inner;
    private readonly SearchSpace _space;
    private readonly IReadOnlyList<StageSpec> _stages;
    private readonly SortedDictionary<int, Slot> _pending = new();
    private readonly HashSet<int> _told = [];
    private readonly List<Result> _results = [];
    private readonly Queue<double[]> _promotions = new();
    private int _innerNext = 1;

    public CurriculumStrategy(ISearchStrategy inner, SearchSpace space, IReadOnlyList<StageSpec> stages)
    {
        if (stages.Count == 0) throw new ArgumentException("a curriculum needs at least one stage", nameof(stages));
        _inner = inner;
        _space = space;
        _stages = stages;
    }

    public ISearchStrategy Inner => _inner;

    /// <summary>Index of the running stage (0-based); equals the stage count once the plan is done.</summary>
    public int Stage { get; private set; }

    public int StageCompleted { get; private set; }

    public IReadOnlyCollection<int> Pending => _pending.Keys;

    public CurriculumProgress Progress => Stage < _stages.Count
        ? new(Stage + 1, _stages.Count, _stages[Stage].Name, StageCompleted, _stages[Stage].Trials)
        : new(_stages.Count, _stages.Count, _stages[^1].Name, _stages[^1].Trials, _stages[^1].Trials);

    public TrialRequest? Ask(int trialId)
    {
        if (_pending.ContainsKey(trialId) || _told.Contains(trialId))
            throw new InvalidOperationException($"trial {trialId} was already asked for");
        if (Stage >= _stages.Count) return null;
        var stage = _stages[Stage];
        // The stage's remaining trials are all in flight: the next stage waits for their ranks.
        if (StageCompleted + _pending.Count >= stage.Trials) return null;
        var fidelity = new Fidelity(stage.Epochs, stage.DataFraction);
        if (_promotions.Count > 0)
        {
            var promoted = _space.FromValues(_promotions.Dequeue());
            _pending[trialId] = new Slot(null, promoted.Values.ToArray());
            return new TrialRequest(trialId, promoted, fidelity, unchecked(trialId * 2654435761L + Stage));
        }
        for (var attempt = 0; ; attempt++)
        {
            var innerId = _innerNext;
            if (_inner.Ask(innerId) is not { } proposal) return null;
            _innerNext++;
            var genotype = proposal.Genotype;
            if (!Allowed(stage, genotype))
            {
                if (attempt < RestrictionAttempts)
                {
                    _inner.Tell(new TrialCancelledOutcome(innerId));
                    continue;
                }
                genotype = Project(stage, genotype);
            }
            _pending[trialId] = new Slot(innerId, genotype.Values.ToArray());
            return new TrialRequest(trialId, genotype, fidelity, proposal.Seed);
        }
    }

    /// <summary>
    /// Replay of a recorded trial: the curriculum decides as it did live (a promotion, or the inner strategy's proposal
    /// through the stage's restriction), so its book-keeping and the inner strategy's random stream advance as then; the
    /// recorded trial is what stays pending. When today's code decides otherwise (the inner strategy's stream or model
    /// changed), a promotion slot simply takes the recorded genotype, and an inner proposal is cancelled back to the inner
    /// strategy, which adopts the recorded trial under a fresh inner id instead (an inner strategy that cannot adopt
    /// stops the replay, naming the trial).
    /// </summary>
    public void Adopt(TrialRequest trial)
    {
        var decided = Ask(trial.TrialId);
        if (decided is not null && decided.Genotype.Values.SequenceEqual(trial.Genotype.Values)) return;
        var slot = _pending.GetValueOrDefault(trial.TrialId);
        if (slot?.Inner is { } asked) _inner.Tell(new TrialCancelledOutcome(asked));
        if (slot is not null && slot.Inner is null)
        {
            _pending[trial.TrialId] = slot with { Values = trial.Genotype.Values.ToArray() };
            return;
        }
        if (_inner is not IAdoptsRecordedProposals adopter)
            throw new InvalidOperationException(
                $"replaying trial {trial.TrialId} proposed a different architecture and the curriculum's inner strategy cannot adopt recorded proposals");
        var innerId = _innerNext++;
        adopter.Adopt(trial with { TrialId = innerId });
        _pending[trial.TrialId] = new Slot(innerId, trial.Genotype.Values.ToArray());
    }

    public void Tell(TrialOutcome outcome)
    {
        if (!_pending.Remove(outcome.TrialId, out var slot)) return;
        _told.Add(outcome.TrialId);
        if (slot.Inner is { } inner) _inner.Tell(outcome with { TrialId = inner });
        // Past the last stage only a recorded trial that today's plan would not have proposed can report: nothing to rank.
        if (outcome is not TrialSucceeded succeeded || Stage >= _stages.Count) return;
        _results.Add(new Result(slot.Values, succeeded.Objective));
        if (++StageCompleted >= _stages[Stage].Trials) Advance();
    }

    private void Advance()
    {
        var finished = _stages[Stage];
        Stage++;
        StageCompleted = 0;
        if (Stage < _stages.Count)
        {
            var next = _stages[Stage];
            var count = finished.PromoteTopK ?? (int)Math.Ceiling((finished.PromoteTopFraction ?? 0) * _results.Count);
            foreach (var r in _results.OrderByDescending(r => r.Objective).Where(r => Allowed(next, _space.FromValues(r.Values))).Take(Math.Min(count, next.Trials)))
                _promotions.Enqueue(r.Values);
        }
        _results.Clear();
    }

    private bool Allowed(StageSpec stage, Genotype genotype) =>
        stage.Restrict is null || stage.Restrict.All(r =>
        {
            var index = _space.IndexOf(r.Key);
            return r.Value.Contains(_space.Decisions[index].Format(genotype[index]));
        });

    /// <summary>The genotype with each restricted decision moved to the nearest allowed option.</summary>
    private Genotype Project(StageSpec stage, Genotype genotype)
    {
        var values = genotype.Values.ToArray();
        foreach (var (name, allowed) in stage.Restrict!)
        {
            var index = _space.IndexOf(name);
            var decision = (CategoricalDecision)_space.Decisions[index];
            values[index] = allowed.Select(decision.IndexOf).MinBy(option => Math.Abs(option - values[index]));
        }
        return _space.Create(values);
    }

    public string SaveState() => new JsonObject
    {
        ["inner"] = _inner.SaveState(),
        ["stage"] = Stage,
        ["stageCompleted"] = StageCompleted,
        ["innerNext"] = _innerNext,
        ["pending"] = new JsonArray(_pending.Select(p => (JsonNode)new JsonObject
        {
            ["trial"] = p.Key, ["inner"] = p.Value.Inner, ["values"] = Array(p.Value.Values)
        }).ToArray()),
        ["told"] = new JsonArray(_told.Order().Select(t => (JsonNode)t).ToArray()),
        ["results"] = new JsonArray(_results.Select(r => (JsonNode)new JsonObject { ["values"] = Array(r.Values), ["objective"] = r.Objective }).ToArray()),
        ["promotions"] = new JsonArray(_promotions.Select(p => (JsonNode)Array(p)).ToArray())
    }.ToJsonString();

    public void RestoreState(string state)
    {
        var root = JsonNode.Parse(state)!;
        _inner.RestoreState(root["inner"]!.GetValue<string>());
        Stage = root["stage"]!.GetValue<int>();
        StageCompleted = root["stageCompleted"]!.GetValue<int>();
        _innerNext = root["innerNext"]!.GetValue<int>();
        _pending.Clear();
        foreach (var p in root["pending"]!.AsArray())
            _pending[p!["trial"]!.GetValue<int>()] = new Slot(p["inner"]?.GetValue<int>(), Values(p["values"]!));
        _told.Clear();
        foreach (var t in root["told"]!.AsArray()) _told.Add(t!.GetValue<int>());
        _results.Clear();
        _results.AddRange(root["results"]!.AsArray().Select(r => new Result(Values(r!["values"]!), r["objective"]!.GetValue<double>())));
        _promotions.Clear();
        foreach (var p in root["promotions"]!.AsArray()) _promotions.Enqueue(Values(p!));
    }

    private static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static double[] Values(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private sealed record Slot(int? Inner, double[] Values);

    private sealed record Result(double[] Values, double Objective);
}

/// <summary>Where a curriculum stands: stage (1-based) of stages, its name, and its completed trials of its budget.</summary>
public sealed record CurriculumProgress(int Stage, int Stages, string Name, int Completed, int Trials);
