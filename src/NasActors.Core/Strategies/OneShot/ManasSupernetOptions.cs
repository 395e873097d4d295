using NasActors.Core.Specs;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Parameters of MANAS with weight sharing (Carlucci et al. 2019) on the NAS-Bench-201 cell, under
/// <c>strategy:</c>. Per round the six edge agents (EXP3, exploration <see cref="Gamma"/>, step
/// <see cref="LearningRate"/>; 0: Auer et al.'s γ/K) pick a cell, the supernet trains that path for
/// <see cref="BatchesPerRound"/> training batches (Adam, <see cref="SupernetLearningRate"/>), and the path's
/// accuracy on one validation batch is every agent's reward. The agents' favourite cell is retrained.
/// </summary>
public sealed record ManasSupernetOptions(
    int Rounds = 300,
    int BatchesPerRound = 1,
    double Gamma = 0.2,
    double LearningRate = 0,
    double SupernetLearningRate = 0.005,
    OneShotNetwork? Network = null)
{
    public const string Name = "manas-supernet";

    public OneShotNetwork Network { get; init; } = Network ?? new OneShotNetwork();

    /// <summary>EXP3's step: the setting, or γ/K when it is 0.</summary>
    public double? AgentLearningRate => LearningRate > 0 ? LearningRate : null;

    public static IReadOnlyList<StrategyParameter> Parameters { get; } =
    [
        new("rounds", 300, 1, 10_000_000, Help: "joint picks: each trains its path and is rewarded on a validation batch"),
        new("batches_per_round", 1, 1, 100_000, Help: "training batches the picked path is trained for before its reward"),
        new("gamma", 0.2, 1e-4, 1, Integer: false, Help: "EXP3 exploration rate: the share of uniform play"),
        new("learning_rate", 0, 0, 100, Integer: false, Help: "EXP3 step on the log-weights per importance-weighted reward; 0: γ/K"),
        new("supernet_lr", 0.005, 1e-6, 10, Integer: false, Help: "Adam learning rate of the supernet's weights"),
        .. OneShotNetwork.Parameters
    ];

    public static ManasSupernetOptions From(StrategySpec spec) =>
        new(spec.Int("rounds"), spec.Int("batches_per_round"), spec.Double("gamma"), spec.Double("learning_rate"), spec.Double("supernet_lr"), OneShotNetwork.From(spec));
}
