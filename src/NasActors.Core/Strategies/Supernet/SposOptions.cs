using NasActors.Core.Specs;

namespace NasActors.Core.Strategies.Supernet;

/// <summary>
/// Parameters of SPOS (Guo et al., ECCV 2020) under <c>strategy:</c>. Phase 1 trains the supernet:
/// <see cref="Rounds"/> single paths sampled uniformly, each trained for <see cref="BatchesPerRound"/>
/// mini-batches by one of <see cref="Workers"/> workers against <see cref="Shards"/> shards, which
/// refuse a push based on weights more than <see cref="MaxStaleness"/> versions old. Phase 2 evolves
/// <see cref="Population"/> subnets for <see cref="Generations"/> generations, scored with inherited
/// weights (batch norm recalibrated on <see cref="CalibrationBatches"/> batches). Phase 3 retrains the
/// best from scratch as ordinary trials (as many as <c>budget.trials</c>).
/// </summary>
public sealed record SposOptions(
    int Workers = 2,
    int Shards = 2,
    int Rounds = 100,
    int BatchesPerRound = 4,
    int MaxStaleness = 8,
    double SupernetLearningRate = 0.005,
    int Population = 16,
    int Generations = 4,
    int Parents = 4,
    int CalibrationBatches = 4)
{
    public static IReadOnlyList<StrategyParameter> Parameters { get; } =
    [
        new("workers", 2, 1, 256, Help: "phase 1: supernet workers training single paths at once"),
        new("shards", 2, 1, 1_000, Help: "phase 1: shards the supernet's blocks are spread over"),
        new("rounds", 100, 1, 10_000_000, Help: "phase 1: single paths sampled and trained"),
        new("batches_per_round", 4, 1, 100_000, Help: "phase 1: mini-batches a worker trains a path for before pushing"),
        new("max_staleness", 8, 0, 1_000_000, Help: "phase 1: a push based on a block more versions old is refused"),
        new("supernet_lr", 0.005, 1e-6, 10, Integer: false, Help: "phase 1: Adam learning rate of supernet training (moments kept per round)"),
        new("population", 16, 2, 100_000, Help: "phase 2: subnets per generation"),
        new("generations", 4, 1, 10_000, Help: "phase 2: generations of evolution over inherited-weight scores"),
        new("parents", 4, 1, 100_000, Help: "phase 2: best subnets that breed the next generation"),
        new("calibration_batches", 4, 0, 10_000, Help: "phase 2: training batches that recalibrate batch norm per subnet")
    ];

    public static SposOptions From(StrategySpec spec) => new(
        spec.Int("workers"), spec.Int("shards"), spec.Int("rounds"), spec.Int("batches_per_round"), spec.Int("max_staleness"),
        spec.Double("supernet_lr"), spec.Int("population"), spec.Int("generations"), spec.Int("parents"), spec.Int("calibration_batches"));
}
