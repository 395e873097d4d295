using NasActors.Core.Trials;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// The rungs of successive halving: epochs max·η^−(K−k) for k = 0..K, K = ⌊log_η(max/min)⌋,
/// so the top rung is exactly the maximum and the bottom one at least the minimum.
/// </summary>
public sealed class FidelityLadder
{
    public FidelityLadder(MultiFidelityOptions options, Fidelity template)
    {
        var max = options.MaxEpochs > 0 ? options.MaxEpochs : template.Epochs;
        if (options.MinEpochs > max) throw new ArgumentException($"min_epochs {options.MinEpochs} exceeds max_epochs {max}");
        Eta = options.Eta;
        var top = (int)Math.Floor(Math.Log((double)max / options.MinEpochs) / Math.Log(Eta) + 1e-9);
        Epochs = Enumerable.Range(0, top + 1)
            .Select(k => Math.Max(options.MinEpochs, (int)Math.Round(max / Math.Pow(Eta, top - k))))
            .ToArray();
        Template = template;
    }

    public int Eta { get; }
    public IReadOnlyList<int> Epochs { get; }
    public int Top => Epochs.Count - 1;
    private Fidelity Template { get; }

    public Fidelity At(int rung) => Template with { Epochs = Epochs[rung] };
}

/// <param name="MinEpochs">epochs of the lowest rung</param>
/// <param name="MaxEpochs">epochs of the highest rung; 0 means the spec's training epochs</param>
/// <param name="Eta">reduction factor: 1/η of a rung is promoted, with η times the epochs</param>
public sealed record MultiFidelityOptions(int MinEpochs = 1, int MaxEpochs = 0, int Eta = 3);
