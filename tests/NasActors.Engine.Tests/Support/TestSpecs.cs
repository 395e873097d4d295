using NasActors.Core.Specs;
using NasActors.Engine.Searches;

namespace NasActors.Engine.Tests.Support;

/// <summary>Small MLP searches built in code, so Engine tests need no files.</summary>
public static class TestSpecs
{
    /// <summary>
    /// These specs pin <c>execution.lease_ahead</c> to 0: their tests drive the coordinator one lease per request (a probe as the
    /// trainer); lease-ahead has tests of its own (LeaseAheadTests, TrainerLeaseAheadTests).
    /// </summary>
    public const int OneLeasePerRequest = 0;

    public static SearchSpec Mlp(int trials, string strategy = "random", int maxFailures = 5, double leaseSeconds = 30, int snapshotEvery = 1000) =>
        new("test", 7,
            new MlpSpaceSpec("mlp", [1, 2, 3], [8, 16, 32], ["relu", "tanh"], [0.0, 0.1], 1e-3, 1e-2),
            new DatasetSpec("/nonexistent/data.csv", "last", 0.2),
            new TrainingSpec(2, 16),
            new StrategySpec(strategy, strategy == "evolution" ? new Dictionary<string, double> { ["population"] = 4, ["sample"] = 2 } : new Dictionary<string, double>()),
            new BudgetSpec(trials, maxFailures),
            new ExecutionSpec(2, 1, leaseSeconds, snapshotEvery) { LeaseAhead = OneLeasePerRequest },
            new ObjectiveSpec("val_accuracy", true),
            new ConstraintSpec(null));

    /// <summary>Evolution as islands (execution.entities) over the small MLP space.</summary>
    public static SearchSpec Islands(int trials, int islands, int inFlight, int migrationEvery = 0, double leaseSeconds = 30, int snapshotEvery = 1000) =>
        Mlp(trials, "evolution", leaseSeconds: leaseSeconds, snapshotEvery: snapshotEvery) with
        {
            Strategy = new StrategySpec("evolution", new Dictionary<string, double>
            {
                ["population"] = 4, ["sample"] = 2, ["islands"] = islands, ["migration_every"] = migrationEvery
            }),
            Execution = new ExecutionSpec(3, 1, leaseSeconds, snapshotEvery) { Entities = true, InFlight = inFlight, LeaseAhead = OneLeasePerRequest }
        };

    /// <summary>REINFORCE run by a controller entity; staleness options as the spec would give them.</summary>
    public static SearchSpec Reinforce(int trials, int inFlight, int maxStaleness = 1000, double stalenessDecay = 1.0, int snapshotEvery = 1000) =>
        Mlp(trials, "reinforce", snapshotEvery: snapshotEvery) with
        {
            Strategy = new StrategySpec("reinforce", new Dictionary<string, double>
            {
                ["learning_rate"] = 0.5, ["entropy_bonus"] = 0.01, ["max_staleness"] = maxStaleness, ["staleness_decay"] = stalenessDecay,
                ["sampled_gradients"] = 1
            }),
            Execution = new ExecutionSpec(2, 1, 30, snapshotEvery) { Entities = true, InFlight = inFlight, LeaseAhead = OneLeasePerRequest }
        };

    /// <summary>MANAS on NAS-Bench-201 (one agent per edge) run as agent entities.</summary>
    public static SearchSpec Nb201Manas(int trials, int inFlight, int snapshotEvery = 1000) =>
        Mlp(trials, "manas", snapshotEvery: snapshotEvery) with
        {
            Space = new Nb201SpaceSpec("nb201", false),
            Strategy = new StrategySpec("manas", new Dictionary<string, double> { ["gamma"] = 0.2 }),
            Execution = new ExecutionSpec(2, 1, 30, snapshotEvery) { Entities = true, InFlight = inFlight, LeaseAhead = OneLeasePerRequest }
        };

    public static SearchSpecData Data(SearchSpec spec) => new(SearchSpecJson.Serialize(spec), Features: 4, Classes: 3);
}
