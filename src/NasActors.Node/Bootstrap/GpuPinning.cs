namespace NasActors.Node.Bootstrap;

/// <summary>
/// Which of the node's visible GPUs one process uses, when a batch system starts several processes per
/// node: local rank r of n takes the devices whose position i in CUDA_VISIBLE_DEVICES has i mod n = r
/// (4 GPUs, 2 tasks: rank 0 → 0,2; rank 1 → 1,3). With fewer GPUs than tasks, ranks share round-robin.
/// When Slurm already binds GPUs per task (--gpus-per-task), the visible list is the task's own: keep it all.
/// </summary>
public static class GpuPinning
{
    public static IReadOnlyList<string> ForLocalRank(string? cudaVisibleDevices, int localRank, int tasksOnNode, bool boundPerTask = false)
    {
        var devices = (cudaVisibleDevices ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(d => d != "NoDevFiles")
            .ToArray();
        if (devices.Length == 0 || boundPerTask || tasksOnNode <= 1) return devices;
        if (devices.Length < tasksOnNode) return [devices[localRank % devices.Length]];
        return devices.Where((_, i) => i % tasksOnNode == localRank % tasksOnNode).ToArray();
    }
}
