using NasActors.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>Pieces the gradient-based proxies share.</summary>
internal static class ProxyMath
{
    /// <summary>The weights the pruning-at-init literature scores: those of every Conv2d and Linear.</summary>
    public static IEnumerable<Tensor> PrunableWeights(CandidateNetwork model) =>
        model.modules().Select(m => m switch
        {
            Conv2d c => (Tensor?)c.weight,
            Linear l => l.weight,
            _ => null
        }).OfType<Tensor>();

    /// <summary>Cross-entropy gradients of one batch, in train mode, into the weights' .grad.</summary>
    public static void LossGradients(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        model.train();
        model.zero_grad();
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
        loss.backward();
    }

    /// <summary>Σ |θ ⊙ ∂/∂θ| over the prunable weights (snip's and synflow's saliency).</summary>
    public static double SaliencySum(CandidateNetwork model)
    {
        using var scope = NewDisposeScope();
        double total = 0;
        foreach (var w in PrunableWeights(model))
            if (w.grad is { } g) total += (w * g).abs().sum().to_type(ScalarType.Float64).item<double>();
        return total;
    }
}
