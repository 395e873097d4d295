using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>
/// jacov (Mellor et al. 2020, first version of NASWOT): J = ∂(Σ outputs)/∂x per example; with the
/// eigenvalues λ of the correlation matrix of those Jacobians, score = -Σ (log(λ + k) + 1/(λ + k)),
/// k = 1e-5. Networks whose Jacobians are less correlated across examples score higher.
/// </summary>
public sealed class JacovProxy : IZeroCostProxy
{
    private const double K = 1e-5;

    public string Name => "jacov";

    public double Score(CandidateNetwork model, Tensor inputs, Tensor targets)
    {
        model.train();
        model.zero_grad();
        using var scope = NewDisposeScope();
        var x = inputs.detach().clone().requires_grad_(true);
        var y = model.forward(x);
        y.sum().backward(); // the gradient of Σ outputs: backward with a ones seed
        // No gradient reaches the input when the output does not depend on it (a cell of only 'none'
        // into its output node): such a network cannot learn, so it scores lowest.
        if (x.grad is null) return double.MinValue;
        var jacobians = x.grad.reshape(x.shape[0], -1).to_type(ScalarType.Float64);
        var correlation = corrcoef(jacobians);
        // A constant Jacobian row (e.g. a dead network) gives NaN correlations: score it lowest.
        if (correlation.isnan().any().item<bool>()) return double.MinValue;
        var eigenvalues = linalg.eigvalsh(correlation);
        return -(eigenvalues.add(K).log() + eigenvalues.add(K).reciprocal()).sum().item<double>();
    }
}
