using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>grad_norm: Σ over Conv2d/Linear weights of ‖∂L/∂θ‖₂ for the cross-entropy of one batch.</summary>
public sealed class GradNormProxy : IZeroCostProxy
{
    public string Name => "grad_norm";

    public double Score(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        ProxyMath.LossGradients(model, inputs, targets);
        using var scope = NewDisposeScope();
        return ProxyMath.PrunableWeights(model).Where(w => w.grad is not null)
            .Sum(w => w.grad!.norm().to_type(ScalarType.Float64).item<double>());
    }
}
