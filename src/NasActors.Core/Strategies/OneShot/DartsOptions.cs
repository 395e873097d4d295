using NasActors.Core.Strategies.Supernet;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Parameters of first-order DARTS (Liu et al., ICLR 2019) on the NAS-Bench-201 cell, under <c>strategy:</c>.
/// <see cref="Steps"/> alternations of one weight step (Adam, <see cref="WeightLearningRate"/>, on a training
/// batch, α fixed) and one α step (Adam with β = (0.5, 0.999) as in the paper, <see cref="AlphaLearningRate"/>,
/// weight decay <see cref="AlphaWeightDecay"/>, on a validation batch, weights fixed). The cell is the argmax
/// of α per edge, 'none' included (NAS-Bench-201 allows it); the first <c>budget.trials</c> cells of the
/// ranking (the argmax, then the cells one edge's second choice away, by α) are retrained from scratch.
/// <para>
/// Through the search coordinator the steps run in rounds of <see cref="StepsPerRound"/> on <see cref="Workers"/>
/// workers against <see cref="Shards"/> supernet shards (α is one more block, <c>alpha</c>, held by one of them);
/// a push based on a block more than <see cref="MaxStaleness"/> versions old is refused, as in SPOS.
/// </para>
/// </summary>
public sealed record DartsOptions(
    int Steps = 300,
    double WeightLearningRate = 0.005,
    double AlphaLearningRate = 0.003,
    double AlphaWeightDecay = 0.001,
    OneShotNetwork? Network = null,
    int StepsPerRound = 10,
    int Workers = 1,
    int Shards = 2,
    int MaxStaleness = 8)
{
    public const string Name = "darts";

    public OneShotNetwork Network { get; init; } = Network ?? new OneShotNetwork();

    /// <summary>Rounds of <see cref="StepsPerRound"/> alternations that cover <see cref="Steps"/> (the last one whole).</summary>
    public int Rounds => (Steps + StepsPerRound - 1) / StepsPerRound;

    /// <summary>The round machinery's settings (SPOS' phase-1 fields): a round is <see cref="StepsPerRound"/> alternations.</summary>
    public SposOptions RoundOptions => new(Workers: Workers, Shards: Shards, Rounds: Rounds, BatchesPerRound: StepsPerRound, MaxStaleness: MaxStaleness,
        SupernetLearningRate: WeightLearningRate);

    public static ParameterTable<DartsOptions> Table { get; } = new ParameterTable<DartsOptions>(new DartsOptions())
        .Int("steps", 1, 10_000_000, o => o.Steps, (o, v) => o with { Steps = v },
            "alternations of one weight step (training batch) and one α step (validation batch)")
        .Double("weight_lr", 1e-6, 10, o => o.WeightLearningRate, (o, v) => o with { WeightLearningRate = v }, "Adam learning rate of the supernet's weights")
        .Double("alpha_lr", 1e-6, 10, o => o.AlphaLearningRate, (o, v) => o with { AlphaLearningRate = v }, "Adam learning rate of the architecture parameters α")
        .Double("alpha_weight_decay", 0, 10, o => o.AlphaWeightDecay, (o, v) => o with { AlphaWeightDecay = v }, "weight decay on α (the paper's 1e-3)")
        .Int("steps_per_round", 1, 100_000, o => o.StepsPerRound, (o, v) => o with { StepsPerRound = v },
            "alternations a worker runs on the weights and α it fetched before pushing their deltas (Adam moments last one round)")
        .Int("workers", 1, 256, o => o.Workers, (o, v) => o with { Workers = v }, "supernet workers running rounds at once")
        .Int("shards", 1, 1_000, o => o.Shards, (o, v) => o with { Shards = v }, "shards the supernet's blocks and α are spread over")
        .Int("max_staleness", 0, 1_000_000, o => o.MaxStaleness, (o, v) => o with { MaxStaleness = v },
            "a push based on a block (or α) more versions old is refused")
        .Include(OneShotNetwork.Table, o => o.Network, (o, n) => o with { Network = n });
}
