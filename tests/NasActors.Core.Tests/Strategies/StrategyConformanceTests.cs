using NasActors.Core.Randomness;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// The ask/tell contract every strategy must keep. A strategy's test class inherits this and
/// implements <see cref="CreateStrategy"/>; every test runs on a small MLP space and on NAS-Bench-201
/// (override <see cref="CreateSpace"/> to add or change spaces). Trials are scored by a cheap,
/// deterministic synthetic objective, so the whole suite runs in milliseconds per strategy.
/// </summary>
public abstract class StrategyConformanceTests
{
    public static TheoryData<string> Spaces => ["mlp", "nb201"];

    /// <summary>Builds the strategy under test; it must use only what the context gives it.</summary>
    protected abstract ISearchStrategy CreateStrategy(StrategyContext context);

    /// <summary>How many trials each test runs: enough for the strategy to leave its start-up phase.</summary>
    protected virtual int Trials => 48;

    protected virtual SearchSpace CreateSpace(string name) => name switch
    {
        "mlp" => new MlpSpace(new MlpSpaceOptions([1, 2, 3], [8, 16, 32], ["relu", "tanh"], [0.0, 0.2],
            new LogUniformDecision("lr", 1e-3, 1e-1), InputFeatures: 8, Classes: 3)),
        "nb201" => new Nb201Space(),
        _ => throw new ArgumentException($"no conformance space '{name}'")
    };

    protected static StrategyContext Context(SearchSpace space, long seed = 11, long? maxParameters = null) =>
        new(space, new Fidelity(5), seed, maxParameters);

    /// <summary>A smooth, deterministic score with a structure local moves can climb.</summary>
    public static double SyntheticObjective(Genotype genotype) =>
        genotype.Values.Select((v, i) => Math.Cos(1.3 * (v < 1 && v > 0 ? Math.Log10(v) : v) + i)).Sum();

    [Theory, MemberData(nameof(Spaces))]
    public void Same_seed_and_same_outcomes_give_identical_proposals(string spaceName)
    {
        var space = CreateSpace(spaceName);
        var first = new Driver(CreateStrategy(Context(space)), failures: true, orderSeed: 5).Run(Trials, batch: 3);
        var second = new Driver(CreateStrategy(Context(space)), failures: true, orderSeed: 5).Run(Trials, batch: 3);
        Assert.Equal(first.Select(Describe), second.Select(Describe));
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Out_of_order_failed_and_cancelled_outcomes_keep_it_proposing_valid_trials(string spaceName)
    {
        var space = CreateSpace(spaceName);
        var strategy = CreateStrategy(Context(space));
        var proposals = new Driver(strategy, failures: true, orderSeed: 9).Run(Trials, batch: 5);
        Assert.True(proposals.Count >= Trials);
        AssertInSpace(space, proposals);
        // An outcome for a trial the strategy never proposed (another search's, a stale one) is ignored.
        var before = strategy.SaveState();
        strategy.Tell(new TrialSucceeded(100_000, Metrics(1), 1));
        strategy.Tell(new TrialFailedOutcome(100_001, "boom"));
        Assert.Equal(before, strategy.SaveState());
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Telling_an_outcome_twice_changes_nothing(string spaceName)
    {
        var strategy = CreateStrategy(Context(CreateSpace(spaceName)));
        var driver = new Driver(strategy, failures: true, orderSeed: 3);
        driver.Run(Trials / 2, batch: 4);
        foreach (var outcome in driver.Told.TakeLast(6))
        {
            var before = strategy.SaveState();
            strategy.Tell(outcome);
            Assert.Equal(before, strategy.SaveState());
        }
        var next = driver.AskBatch(3);
        foreach (var request in next)
        {
            var outcome = driver.OutcomeFor(request);
            strategy.Tell(outcome);
            var once = strategy.SaveState();
            strategy.Tell(outcome);
            Assert.Equal(once, strategy.SaveState());
        }
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Hard_parameter_limit_is_never_exceeded(string spaceName)
    {
        var space = CreateSpace(spaceName);
        var random = new SeededRandom(1);
        var sizes = Enumerable.Range(0, 200).Select(_ => space.ParameterCount(space.Sample(random))).Order().ToArray();
        var limit = sizes[sizes.Length / 3];
        var proposals = new Driver(CreateStrategy(Context(space, maxParameters: limit)), failures: true, orderSeed: 4).Run(Trials, batch: 3);
        Assert.All(proposals, p => Assert.True(space.ParameterCount(p.Genotype) <= limit, $"{p.Genotype} has {space.ParameterCount(p.Genotype)} > {limit} parameters"));
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Restored_snapshot_continues_with_the_same_proposals(string spaceName)
    {
        var space = CreateSpace(spaceName);
        var original = CreateStrategy(Context(space));
        var driver = new Driver(original, failures: true, orderSeed: 8);
        driver.Run(Trials / 2, batch: 3);
        var outstanding = driver.AskBatch(2); // snapshot with trials still pending
        var restored = CreateStrategy(Context(space));
        restored.RestoreState(original.SaveState());
        Assert.Equal(original.Pending, restored.Pending);
        Assert.Equal(original.SaveState(), restored.SaveState());

        var resumedOriginal = new Driver(original, failures: true, orderSeed: 21, firstTrialId: driver.NextId).Continue(outstanding, Trials / 2, batch: 3);
        var resumedCopy = new Driver(restored, failures: true, orderSeed: 21, firstTrialId: driver.NextId).Continue(outstanding, Trials / 2, batch: 3);
        Assert.Equal(resumedOriginal.Select(Describe), resumedCopy.Select(Describe));
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Every_proposal_revalidates_in_its_space(string spaceName)
    {
        var space = CreateSpace(spaceName);
        AssertInSpace(space, new Driver(CreateStrategy(Context(space, seed: 2)), failures: false, orderSeed: 1).Run(Trials, batch: 2));
    }

    [Theory, MemberData(nameof(Spaces))]
    public void Pending_is_exactly_the_trials_not_yet_told(string spaceName)
    {
        var strategy = CreateStrategy(Context(CreateSpace(spaceName)));
        var driver = new Driver(strategy, failures: true, orderSeed: 6) { CheckPending = true };
        driver.Run(Trials, batch: 4);
        Assert.Empty(strategy.Pending);
    }

    private static void AssertInSpace(SearchSpace space, IEnumerable<TrialRequest> proposals) =>
        Assert.All(proposals, p =>
        {
            var rebuilt = space.FromValues(p.Genotype.Values);
            Assert.Equal(p.Genotype, rebuilt);
            Assert.Equal(p.Genotype.Values.ToArray(), rebuilt.Values.ToArray());
            Assert.True(p.Fidelity.Epochs >= 1 && p.Fidelity.DataFraction is > 0 and <= 1);
        });

    private static string Describe(TrialRequest r) => $"{r.TrialId}:{r.Genotype.Canonical}@{r.Fidelity}#{r.Seed}";

    private static TrialMetrics Metrics(double objective) => new(objective, -objective, 0, 1);

    /// <summary>
    /// Runs a strategy the way a coordinator does: ask a batch, then tell every pending trial in a
    /// shuffled order, some failed or cancelled. Asserts liveness: with nothing pending, a strategy
    /// must propose something.
    /// </summary>
    protected sealed class Driver(ISearchStrategy strategy, bool failures, long orderSeed, int firstTrialId = 1)
    {
        private readonly SeededRandom _order = new(orderSeed);
        private readonly Dictionary<int, TrialRequest> _requests = new();
        private readonly HashSet<int> _pending = [];
        private int _nextId = firstTrialId;

        public bool CheckPending { get; init; }
        public List<TrialOutcome> Told { get; } = [];

        public List<TrialRequest> Run(int trials, int batch) => Continue([], trials, batch);

        public int NextId => _nextId;

        /// <summary>Takes over <paramref name="outstanding"/> trials asked by another driver, tells them with the next batch, then keeps going.</summary>
        public List<TrialRequest> Continue(IReadOnlyList<TrialRequest> outstanding, int trials, int batch)
        {
            foreach (var r in outstanding) Track(r);
            var proposals = new List<TrialRequest>();
            while (proposals.Count < trials)
            {
                var asked = AskBatch(batch);
                Assert.True(asked.Count > 0 || strategy.Pending.Count > 0, "the strategy proposed nothing while no trial was pending");
                proposals.AddRange(asked);
                var order = _pending.Order().ToList();
                while (order.Count > 0)
                {
                    var pick = order[_order.NextInt(order.Count)];
                    order.Remove(pick);
                    var outcome = OutcomeFor(_requests[pick]);
                    strategy.Tell(outcome);
                    _pending.Remove(pick);
                    Told.Add(outcome);
                    if (CheckPending) Assert.Equal(_pending.Order(), strategy.Pending.Order());
                }
            }
            return proposals;
        }

        public List<TrialRequest> AskBatch(int batch)
        {
            var asked = new List<TrialRequest>();
            for (var i = 0; i < batch; i++)
            {
                var request = strategy.Ask(_nextId);
                if (request is null) break;
                Assert.Equal(_nextId, request.TrialId);
                _nextId++;
                Track(request);
                asked.Add(request);
                if (CheckPending) Assert.Equal(_pending.Order(), strategy.Pending.Order());
            }
            return asked;
        }

        private void Track(TrialRequest request)
        {
            _requests[request.TrialId] = request;
            _pending.Add(request.TrialId);
        }

        /// <summary>Outcomes depend only on the trial, so two copies of a search see the same world.</summary>
        public TrialOutcome OutcomeFor(TrialRequest request)
        {
            var fate = new SeededRandom(request.TrialId * 7919L + (long)(request.Genotype.Hash % 1000)).NextDouble();
            if (failures && fate < 0.15) return new TrialFailedOutcome(request.TrialId, "synthetic failure");
            if (failures && fate < 0.22) return new TrialCancelledOutcome(request.TrialId);
            var objective = SyntheticObjective(request.Genotype);
            return new TrialSucceeded(request.TrialId, Metrics(objective), objective);
        }
    }
}
