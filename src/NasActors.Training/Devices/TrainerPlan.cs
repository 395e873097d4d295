using NasActors.Core.Specs;

namespace NasActors.Training.Devices;

/// <summary>
/// Which trainers this process starts: one per GPU that TorchSharp reports (each pinned to its
/// <c>cuda:i</c>), otherwise <c>execution.trainers</c> CPU slots with
/// <c>execution.threads_per_trainer</c> threads each.
/// </summary>
public sealed record TrainerPlan(string Device, int Threads)
{
    public static IReadOnlyList<TrainerPlan> For(ExecutionSpec execution, IReadOnlyList<string>? devices = null)
    {
        var gpus = (devices ?? TrainingDevices.Discover()).Where(d => d.StartsWith("cuda", StringComparison.Ordinal)).ToArray();
        return gpus.Length > 0
            ? gpus.Select(gpu => new TrainerPlan(gpu, 1)).ToArray()
            : Enumerable.Range(0, execution.Trainers).Select(_ => new TrainerPlan("cpu", execution.ThreadsPerTrainer)).ToArray();
    }
}
