using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.ZeroCost;

/// <summary>
/// A training-free score of a freshly initialised network from one mini-batch (Abdelfattah et al.,
/// "Zero-Cost Proxies for Lightweight NAS", ICLR 2021; Mellor et al., NASWOT, ICML 2021). Higher is
/// better. A proxy may change the network it scores (synflow takes absolute weights), so score a
/// fresh network with each proxy.
/// </summary>
public interface IZeroCostProxy
{
    string Name { get; }

    double Score(CandidateNetwork model, Tensor inputs, Tensor targets);
}
