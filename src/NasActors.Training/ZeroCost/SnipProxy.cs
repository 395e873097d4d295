using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>snip (Lee et al. 2019): Σ |θ ⊙ ∂L/∂θ| over Conv2d/Linear weights for the cross-entropy of one batch.</summary>
public sealed class SnipProxy : IZeroCostProxy
{
    public string Name => "snip";

    public double Score(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        ProxyMath.LossGradients(model, inputs, targets);
        return ProxyMath.SaliencySum(model);
    }
}
