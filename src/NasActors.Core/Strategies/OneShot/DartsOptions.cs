namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Parameters of first-order DARTS (Liu et al., ICLR 2019) on the NAS-Bench-201 cell, under <c>strategy:</c>.
/// <see cref="Steps"/> alternations of one weight step (Adam, <see cref="WeightLearningRate"/>, on a training
/// batch, α fixed) and one α step (Adam with β = (0.5, 0.999) as in the paper, <see cref="AlphaLearningRate"/>,
/// weight decay <see cref="AlphaWeightDecay"/>, on a validation batch, weights fixed). The cell is the argmax
/// of α per edge, 'none' included (NAS-Bench-201 allows it); the first <c>budget.trials</c> cells of the
/// ranking (the argmax, then the cells one edge's second choice away, by α) are retrained from scratch.
/// </summary>
public sealed record DartsOptions(
    int Steps = 300,
    double WeightLearningRate = 0.005,
    double AlphaLearningRate = 0.003,
    double AlphaWeightDecay = 0.001,
    OneShotNetwork? Network = null)
{
    public const string Name = "darts";

    public OneShotNetwork Network { get; init; } = Network ?? new OneShotNetwork();

    public static ParameterTable<DartsOptions> Table { get; } = new ParameterTable<DartsOptions>(new DartsOptions())
        .Int("steps", 1, 10_000_000, o => o.Steps, (o, v) => o with { Steps = v },
            "alternations of one weight step (training batch) and one α step (validation batch)")
        .Double("weight_lr", 1e-6, 10, o => o.WeightLearningRate, (o, v) => o with { WeightLearningRate = v }, "Adam learning rate of the supernet's weights")
        .Double("alpha_lr", 1e-6, 10, o => o.AlphaLearningRate, (o, v) => o with { AlphaLearningRate = v }, "Adam learning rate of the architecture parameters α")
        .Double("alpha_weight_decay", 0, 10, o => o.AlphaWeightDecay, (o, v) => o with { AlphaWeightDecay = v }, "weight decay on α (the paper's 1e-3)")
        .Include(OneShotNetwork.Table, o => o.Network, (o, n) => o with { Network = n });
}
