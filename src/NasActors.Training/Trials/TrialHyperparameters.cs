using NasActors.Core.Spaces;

namespace NasActors.Training.Trials;

/// <summary>
/// The training settings of one trial: those the genotype searches (the MLP space's lr, a
/// <see cref="JointSpace"/>'s lr / weight_decay / batch_size / epochs) win over the spec's fixed ones.
/// </summary>
public sealed record TrialHyperparameters(double LearningRate, double WeightDecay, int BatchSize, int Epochs)
{
    public static TrialHyperparameters Of(SearchSpace space, Genotype genotype, int batchSize, int epochs, double learningRate)
    {
        var architecture = space.Architecture(genotype);
        var inner = space is JointSpace j ? j.Inner : space;
        if (inner is MlpSpace mlp) learningRate = mlp.LearningRate(architecture);
        if (space is not JointSpace joint) return new(learningRate, 0, batchSize, epochs);
        return new(
            joint.Hyperparameter(genotype, "lr") ?? learningRate,
            joint.Hyperparameter(genotype, "weight_decay") ?? 0,
            (int)(joint.Hyperparameter(genotype, "batch_size") ?? batchSize),
            (int)(joint.Hyperparameter(genotype, "epochs") ?? epochs));
    }
}
