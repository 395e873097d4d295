using static TorchSharp.torch;

namespace NasActors.Training.Devices;

/// <summary>
/// The devices this process can train on: <c>cuda:i</c> for each GPU libtorch sees (only in a build
/// with <c>-p:TorchBackend=cuda</c>), else the CPU. CPU trainers are given an explicit thread count
/// so that several trainers share the cores instead of each taking all of them.
/// </summary>
public static class TrainingDevices
{
    public static IReadOnlyList<string> Discover()
    {
        var gpus = cuda.is_available() ? cuda.device_count() : 0;
        return gpus > 0 ? Enumerable.Range(0, gpus).Select(i => $"cuda:{i}").ToArray() : ["cpu"];
    }

    /// <summary>Threads per CPU trainer: the cores divided evenly, at least one.</summary>
    public static int CpuThreadsPerTrainer(int trainers) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, trainers));

    /// <summary>Parses a trial context's device ("cpu", "cuda", "cuda:1") and checks that this process has it.</summary>
    public static Device Resolve(string name)
    {
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new NotSupportedException($"device '{name}' requested, but this build sees no GPU (build with -p:TorchBackend=cuda on a machine with CUDA)");
            var index = name.Length > 5 && int.TryParse(name[5..], out var i) ? i : 0;
            if (index >= cuda.device_count()) throw new NotSupportedException($"device '{name}' requested, but only {cuda.device_count()} GPU(s) are visible");
            return new Device(TorchSharp.DeviceType.CUDA, index);
        }
        throw new NotSupportedException($"unknown device '{name}' (expected cpu or cuda:<index>)");
    }
}
