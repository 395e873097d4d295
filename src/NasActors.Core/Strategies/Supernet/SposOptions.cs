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
    public static ParameterTable<SposOptions> Table { get; } = new ParameterTable<SposOptions>(new SposOptions())
        .Int("workers", 1, 256, o => o.Workers, (o, v) => o with { Workers = v }, "phase 1: supernet workers training single paths at once")
        .Int("shards", 1, 1_000, o => o.Shards, (o, v) => o with { Shards = v }, "phase 1: shards the supernet's blocks are spread over")
        .Int("rounds", 1, 10_000_000, o => o.Rounds, (o, v) => o with { Rounds = v }, "phase 1: single paths sampled and trained")
        .Int("batches_per_round", 1, 100_000, o => o.BatchesPerRound, (o, v) => o with { BatchesPerRound = v },
            "phase 1: mini-batches a worker trains a path for before pushing")
        .Int("max_staleness", 0, 1_000_000, o => o.MaxStaleness, (o, v) => o with { MaxStaleness = v },
            "phase 1: a push based on a block more versions old is refused")
        .Double("supernet_lr", 1e-6, 10, o => o.SupernetLearningRate, (o, v) => o with { SupernetLearningRate = v },
            "phase 1: Adam learning rate of supernet training (moments kept per round)")
        .Int("population", 2, 100_000, o => o.Population, (o, v) => o with { Population = v }, "phase 2: subnets per generation")
        .Int("generations", 1, 10_000, o => o.Generations, (o, v) => o with { Generations = v },
            "phase 2: generations of evolution over inherited-weight scores")
        .Int("parents", 1, 100_000, o => o.Parents, (o, v) => o with { Parents = v }, "phase 2: best subnets that breed the next generation")
        .Int("calibration_batches", 0, 10_000, o => o.CalibrationBatches, (o, v) => o with { CalibrationBatches = v },
            "phase 2: training batches that recalibrate batch norm per subnet");
}
