using NasActors.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>
/// synflow (Tanaka et al. 2020): with every parameter replaced by its absolute value, R = Σ f(1),
/// the sum of the outputs for an all-ones input; score Σ |θ ⊙ ∂R/∂θ| over Conv2d/Linear weights.
/// Data-free (the batch only gives the input shape). Computed in float64, as the reference code does,
/// because R overflows float32 for deep networks; in eval mode, so BatchNorm at its initial running
/// statistics is (nearly) the identity, which stands in for the reference's BN-free copy.
/// Changes the model: its weights become absolute values and float64.
/// </summary>
public sealed class SynflowProxy : IZeroCostProxy
{
    public string Name => "synflow";

    public double Score(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        model.to(ScalarType.Float64);
        using (no_grad())
            foreach (var p in model.parameters()) p.abs_();
        model.eval();
        model.zero_grad();
        using var scope = NewDisposeScope();
        var ones = torch.ones([1, .. model.InputShape], dtype: ScalarType.Float64, device: inputs.device);
        model.forward(ones).sum().backward();
        return ProxyMath.SaliencySum(model);
    }
}
