using NasActors.Core.Benchmarks;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Simulation;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Simulation;

/// <summary>
/// Replays through the real coordinator on the virtual clock. The synthetic table is built once for the
/// class (15,625 rows); every replay takes milliseconds of wall time.
/// </summary>
public sealed class ReplayRunTests : IClassFixture<ReplayRunTests.Tables>, IAsyncLifetime
{
    private readonly Tables _tables;
    private readonly ReplaySimulator _simulator = new(maxInFlight: 8);
    private int _runs;

    public ReplayRunTests(Tables tables) => _tables = tables;

    public sealed class Tables
    {
        public TabularBenchmark Plain { get; } = SyntheticNb201.Load(i => 90 + i % 7);
        public TabularBenchmark Scrambled { get; } = SyntheticNb201.Load(i => 10 + (i * 7919) % 83);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private Task<ReplayResult> Replay(string strategy, ITrialEvaluator evaluator, ReplaySettings settings, int trials = 1_000_000, long seed = 3)
    {
        var spec = SyntheticNb201.Spec(strategy, seed, settings.Workers, trials);
        return _simulator.RunAsync(new SearchId($"test-{strategy}-{Interlocked.Increment(ref _runs)}"), SyntheticNb201.Data(spec),
            SyntheticNb201.Definition(spec), evaluator, settings);
    }

    private TabularEvaluator Evaluator(TabularBenchmark table) => new(table, SyntheticNb201.Space, 12, 0.01);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Trials_finish_when_their_cost_has_passed_on_the_first_free_trainer(int workers)
    {
        var recording = new RecordingEvaluator(Evaluator(_tables.Plain));
        var result = await Replay("random", recording, new ReplaySettings(workers, BudgetSeconds: 2_000));

        // An independent event simulation: random search never waits, so trial k (in id order) starts on
        // the trainer that frees up first, and ends its cost later.
        var costs = recording.Handed.OrderBy(h => h.Trial.TrialId).Select(h => h.Metrics.Seconds).ToArray();
        var free = new PriorityQueue<int, double>();
        for (var w = 0; w < workers; w++) free.Enqueue(w, 0);
        var expected = new Dictionary<int, double>();
        for (var k = 0; k < costs.Length; k++)
        {
            free.TryDequeue(out var trainer, out var at);
            expected[k + 1] = at + costs[k];
            free.Enqueue(trainer, at + costs[k]);
        }
        Assert.True(result.Evaluations >= 10 * workers, $"{result.Evaluations} evaluations");
        foreach (var trial in result.Trials) Assert.Equal(expected[trial.TrialId], trial.CompletedAt, 6);
        // Budget cut-off: everything finishing by 2,000 s counts, nothing later does.
        Assert.Equal(expected.Values.Count(t => t <= 2_000), result.Evaluations);
        Assert.All(result.Trials, t => Assert.True(t.CompletedAt <= 2_000));
        if (workers > 1)
        {
            // Asynchronous: results arrive in the order they finish, which is not the order they started.
            var ids = result.Trials.Select(t => t.TrialId).ToArray();
            Assert.NotEqual(ids.Order(), ids);
        }
    }

    [Fact]
    public async Task Trials_shorter_than_a_second_replay_one_lease_at_a_time_whatever_the_specs_lease_ahead()
    {
        // The spec's lease_ahead is auto: for 0.25 s trials the coordinator would hand each trainer four queued leases in one
        // answer, which a simulated trainer does not take; before the replay pinned lease_ahead to 0 it stood still here.
        var result = await Replay("random", new ConstantCostEvaluator(0.25), new ReplaySettings(2, 10)).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(80, result.Evaluations);
    }

    [Theory]
    [InlineData(1, 1_000, 10)]  // a result at exactly the budget counts
    [InlineData(1, 999.5, 9)]
    [InlineData(4, 1_050, 40)]
    public async Task The_seconds_budget_cuts_off_exactly(int workers, double budget, int evaluations)
    {
        var result = await Replay("random", new ConstantCostEvaluator(100), new ReplaySettings(workers, budget));
        Assert.Equal(evaluations, result.Evaluations);
        Assert.Equal(SearchPhase.Running, result.Phase); // the coordinator's trial budget was not what ended it
    }

    [Fact]
    public async Task A_trial_budget_ends_the_search_through_the_coordinator()
    {
        var result = await Replay("evolution", Evaluator(_tables.Plain), new ReplaySettings(3, BudgetSeconds: null), trials: 25);
        Assert.Equal(SearchPhase.Finished, result.Phase);
        Assert.Equal(25, result.Evaluations);
        Assert.Equal(result.Trials.MaxBy(t => t.Signal)!.Signal, result.Best!.Signal);
    }

    [Fact]
    public async Task Strategies_see_the_signal_and_the_cost_only_so_report_columns_change_nothing()
    {
        var plain = new RecordingEvaluator(Evaluator(_tables.Plain));
        var scrambled = new RecordingEvaluator(Evaluator(_tables.Scrambled));
        var a = await Replay("evolution", plain, new ReplaySettings(2, 3_000));
        var b = await Replay("evolution", scrambled, new ReplaySettings(2, 3_000));

        // Same proposals, same signals, same times: the search cannot tell the two tables apart.
        Assert.Equal(a.Trials.Select(t => (t.TrialId, t.Architecture, t.Signal, t.CompletedAt)), b.Trials.Select(t => (t.TrialId, t.Architecture, t.Signal, t.CompletedAt)));
        Assert.NotEqual(_tables.Plain.ReportOf(a.Best!.Architecture), _tables.Scrambled.ReportOf(b.Best!.Architecture));
        // What the evaluator handed over (and so what the coordinator could tell the strategy) is signal and cost.
        Assert.All(plain.Handed, h =>
        {
            var row = _tables.Plain.Evaluate(h.Trial.Genotype.Canonical);
            Assert.Equal(new TrialMetrics(row.Signal * 0.01, 0, SyntheticNb201.Space.ParameterCount(h.Trial.Genotype), row.Cost), h.Metrics);
            Assert.Null(h.Metrics.Extra);
        });
        Assert.All(a.Trials, t => Assert.Equal(_tables.Plain.Evaluate(t.Architecture).Signal * 0.01, t.Signal));
    }

    [Fact]
    public async Task Killed_trainers_lose_their_leases_the_trials_are_reissued_and_counted_once()
    {
        var settings = new ReplaySettings(1, BudgetSeconds: null, Seed: 5);
        var calm = await Replay("random", Evaluator(_tables.Plain), settings, trials: 40);
        var deadly = await Replay("random", Evaluator(_tables.Plain), settings with { KillRate = 0.3 }, trials: 40);

        Assert.True(deadly.Deaths >= 5, $"{deadly.Deaths} deaths");
        Assert.True(deadly.ReissuedLeases >= deadly.Deaths, $"{deadly.ReissuedLeases} re-issued leases for {deadly.Deaths} deaths");
        Assert.Equal(40, deadly.Evaluations);
        Assert.Equal(40, deadly.Trials.Select(t => t.TrialId).Distinct().Count());
        // Random search proposes trial k the same way however the trials ran: the same cells, the same best.
        Assert.Equal(calm.Trials.Select(t => t.Architecture).Order(), deadly.Trials.Select(t => t.Architecture).Order());
        Assert.Equal(calm.Best!.Architecture, deadly.Best!.Architecture);
        Assert.True(deadly.SimulatedSeconds > calm.SimulatedSeconds, "lost work costs simulated time");
    }

    [Fact]
    public async Task Idle_trainers_ask_one_at_a_time_so_a_last_round_costs_round_trips_linear_in_trials()
    {
        // 60 trainers, 90 trials: after trial 90 is leased every trainer that finishes waits (NoWorkYet) for the
        // stragglers. Polling every idle trainer at each accepted result cost ~60²/2 round trips here.
        const int workers = 60, trials = 90;
        var recording = new RecordingEvaluator(Evaluator(_tables.Plain));
        var result = await Replay("random", recording, new ReplaySettings(workers, BudgetSeconds: null), trials: trials);

        Assert.Equal(SearchPhase.Finished, result.Phase);
        Assert.Equal(trials, result.Evaluations);
        Assert.True(result.IdlePolls <= 2 * trials, $"{result.IdlePolls} idle polls for {trials} trials");
        // Still the greedy schedule: trial k starts on the trainer that frees first, at the instant it frees.
        var costs = recording.Handed.OrderBy(h => h.Trial.TrialId).Select(h => h.Metrics.Seconds).ToArray();
        var free = new PriorityQueue<int, double>();
        for (var w = 0; w < workers; w++) free.Enqueue(w, 0);
        for (var k = 0; k < costs.Length; k++)
        {
            free.TryDequeue(out var trainer, out var at);
            Assert.Equal(at + costs[k], result.Trials.Single(t => t.TrialId == k + 1).CompletedAt, 6);
            free.Enqueue(trainer, at + costs[k]);
        }
    }

    [Fact]
    public async Task Trainers_waking_at_the_same_instant_share_one_lease_check()
    {
        // Constant costs: four trainers wake (heartbeat, finish) at exactly the instants one trainer does.
        var one = await Replay("random", new ConstantCostEvaluator(100), new ReplaySettings(1, 1_050));
        var four = await Replay("random", new ConstantCostEvaluator(100), new ReplaySettings(4, 1_050));

        Assert.Equal(40, four.Evaluations);
        Assert.True(one.LeaseChecks >= 10, $"{one.LeaseChecks} lease checks");
        Assert.Equal(one.LeaseChecks, four.LeaseChecks);
    }
}
