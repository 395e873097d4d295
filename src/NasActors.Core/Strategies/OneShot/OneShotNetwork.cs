using NasActors.Core.Specs;

namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Size of the NAS-Bench-201 network a one-shot search trains its supernet at and retrains the derived
/// cell at: <see cref="Channels"/> in the first stage, <see cref="CellsPerStage"/> cells per stage, input
/// images resized to <see cref="Resolution"/>² (0: the data's own side). The benchmark's is 16 / 5 / 32;
/// CPU examples use far less.
/// </summary>
public sealed record OneShotNetwork(int Channels = 8, int CellsPerStage = 1, int Resolution = 0)
{
    public static IReadOnlyList<StrategyParameter> Parameters { get; } =
    [
        new("channels", 8, 1, 1024, Help: "NAS-Bench-201 network: channels of the first stage (the benchmark's 16)"),
        new("cells_per_stage", 1, 1, 100, Help: "NAS-Bench-201 network: cells per stage (the benchmark's 5)"),
        new("resolution", 0, 0, 4096, Help: "input images resized to this side; 0: the data's own")
    ];

    public static OneShotNetwork From(StrategySpec spec) => new(spec.Int("channels"), spec.Int("cells_per_stage"), spec.Int("resolution"));
}
