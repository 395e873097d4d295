namespace NasActors.Core.Strategies.OneShot;

/// <summary>
/// Size of the NAS-Bench-201 network a one-shot search trains its supernet at and retrains the derived
/// cell at: <see cref="Channels"/> in the first stage, <see cref="CellsPerStage"/> cells per stage, input
/// images resized to <see cref="Resolution"/>² (0: the data's own side). The benchmark's is 16 / 5 / 32;
/// CPU examples use far less.
/// </summary>
public sealed record OneShotNetwork(int Channels = 8, int CellsPerStage = 1, int Resolution = 0)
{
    public static ParameterTable<OneShotNetwork> Table { get; } = new ParameterTable<OneShotNetwork>(new OneShotNetwork())
        .Int("channels", 1, 1024, o => o.Channels, (o, v) => o with { Channels = v }, "NAS-Bench-201 network: channels of the first stage (the benchmark's 16)")
        .Int("cells_per_stage", 1, 100, o => o.CellsPerStage, (o, v) => o with { CellsPerStage = v }, "NAS-Bench-201 network: cells per stage (the benchmark's 5)")
        .Int("resolution", 0, 4096, o => o.Resolution, (o, v) => o with { Resolution = v }, "input images resized to this side; 0: the data's own");
}
