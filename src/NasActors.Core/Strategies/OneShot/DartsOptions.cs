using NasActors.Core.Specs;

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

    public static IReadOnlyList<StrategyParameter> Parameters { get; } =
    [
        new("steps", 300, 1, 10_000_000, Help: "alternations of one weight step (training batch) and one α step (validation batch)"),
        new("weight_lr", 0.005, 1e-6, 10, Integer: false, Help: "Adam learning rate of the supernet's weights"),
        new("alpha_lr", 0.003, 1e-6, 10, Integer: false, Help: "Adam learning rate of the architecture parameters α"),
        new("alpha_weight_decay", 0.001, 0, 10, Integer: false, Help: "weight decay on α (the paper's 1e-3)"),
        .. OneShotNetwork.Parameters
    ];

    public static DartsOptions From(StrategySpec spec) =>
        new(spec.Int("steps"), spec.Double("weight_lr"), spec.Double("alpha_lr"), spec.Double("alpha_weight_decay"), OneShotNetwork.From(spec));
}
