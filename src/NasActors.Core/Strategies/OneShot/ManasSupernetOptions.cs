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

    public static ParameterTable<ManasSupernetOptions> Table { get; } = new ParameterTable<ManasSupernetOptions>(new ManasSupernetOptions())
        .Int("rounds", 1, 10_000_000, o => o.Rounds, (o, v) => o with { Rounds = v },
            "joint picks: each trains its path and is rewarded on a validation batch")
        .Int("batches_per_round", 1, 100_000, o => o.BatchesPerRound, (o, v) => o with { BatchesPerRound = v },
            "training batches the picked path is trained for before its reward")
        .Double("gamma", 1e-4, 1, o => o.Gamma, (o, v) => o with { Gamma = v }, "EXP3 exploration rate: the share of uniform play")
        .Double("learning_rate", 0, 100, o => o.LearningRate, (o, v) => o with { LearningRate = v },
            "EXP3 step on the log-weights per importance-weighted reward; 0: γ/K")
        .Double("supernet_lr", 1e-6, 10, o => o.SupernetLearningRate, (o, v) => o with { SupernetLearningRate = v }, "Adam learning rate of the supernet's weights")
        .Include(OneShotNetwork.Table, o => o.Network, (o, n) => o with { Network = n });
}
