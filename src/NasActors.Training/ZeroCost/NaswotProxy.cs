using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>
/// NASWOT (Mellor et al., ICML 2021): each example's binary code is which units of every ReLU are
/// active (pre-activation &gt; 0); K[i, j] counts the units on which examples i and j agree
/// (c cᵀ + (1 - c)(1 - c)ᵀ summed over layers); score = log |det K|. Networks that tell the
/// examples of a batch apart score higher. Activations are read through <see cref="ObservedActivation"/>.
/// </summary>
public sealed class NaswotProxy : IZeroCostProxy
{
    public string Name => "naswot";

    public double Score(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        var activations = model.modules().OfType<ObservedActivation>().ToArray();
        if (activations.Length == 0) throw new InvalidOperationException($"{model.GetName()} has no observable activations for NASWOT");
        var batch = inputs.shape[0];
        using var kernel = zeros(batch, batch, dtype: ScalarType.Float64, device: inputs.device);
        void Observe(Tensor preActivation)
        {
            using var scope = NewDisposeScope();
            var codes = preActivation.detach().reshape(batch, -1).gt(0).to_type(ScalarType.Float64);
            var agree = codes.matmul(codes.t()) + (1 - codes).matmul((1 - codes).t());
            kernel.add_(agree);
        }
        foreach (var a in activations) a.Observer = Observe;
        try
        {
            model.train();
            using var _ = no_grad();
            using var output = model.forward(inputs);
        }
        finally
        {
            foreach (var a in activations) a.Observer = null;
        }
        var (_, logAbsDet) = linalg.slogdet(kernel);
        using (logAbsDet) return logAbsDet.item<double>();
    }
}
