using System.Globalization;
using NasActors.Node.Hosting;

namespace NasActors.Node.Bootstrap;

/// <summary>
/// Fills in what a batch allocation decides, so one batch script works on any allocation size:
/// <list type="bullet">
/// <item>Slurm: the hosts of SLURM_JOB_NODELIST; this process runs on host SLURM_NODEID, listens on
/// port + SLURM_LOCALID (several tasks per node), and the seed is the first host at the base port
/// (rank 0 under Slurm's block distribution).</item>
/// <item>PBS: the distinct hosts of PBS_NODEFILE in order (the file repeats a host once per slot); the seed is
/// the first. One process per distinct host (pbsdsh -u / mpiexec -ppn 1), so every node uses the base port.</item>
/// <item>GPU pinning from CUDA_VISIBLE_DEVICES and the local rank (<see cref="GpuPinning"/>).</item>
/// <item>The drain moment: the allocation's end (<see cref="AllocationEnd"/>) minus DrainBefore.</item>
/// </list>
/// Explicit seeds (--seeds, NAS__Node__Seeds) win: the batch environment then only pins GPUs and sets the drain moment.
/// </summary>
public static class BatchBootstrap
{
    public static NodeOptions Apply(NodeOptions options, BatchEnvironment env)
    {
        options = env["SLURM_JOB_NODELIST"] is { } nodeList ? Slurm(options, env, nodeList)
            : env.PbsNodeFile is { Count: > 0 } nodeFile ? Pbs(options, env, nodeFile)
            : options;
        var end = AllocationEnd.From(env);
        return options with { DrainAt = end is not null && options.DrainBefore is { } before ? end - before : options.DrainAt };
    }

    private static NodeOptions Slurm(NodeOptions options, BatchEnvironment env, string nodeList)
    {
        var hosts = SlurmHostList.Expand(nodeList);
        var localRank = Integer(env, "SLURM_LOCALID") ?? 0;
        var nodeIndex = Integer(env, "SLURM_NODEID") ?? 0;
        var host = env["SLURMD_NODENAME"] ?? hosts[Math.Min(nodeIndex, hosts.Count - 1)];
        var tasksOnNode = Integer(env, "SLURM_NTASKS_PER_NODE") ?? TasksOnNode(env["SLURM_TASKS_PER_NODE"], nodeIndex) ?? 1;
        var devices = GpuPinning.ForLocalRank(env["CUDA_VISIBLE_DEVICES"], localRank, tasksOnNode,
            boundPerTask: env["SLURM_GPUS_PER_TASK"] is not null);
        return Place(options, hosts[0], host, localRank) with { Devices = devices };
    }

    private static NodeOptions Pbs(NodeOptions options, BatchEnvironment env, IReadOnlyList<string> nodeFile)
    {
        var hosts = nodeFile.Select(line => line.Trim()).Where(line => line.Length > 0).Distinct().ToArray();
        var host = env["NAS_HOSTNAME"] ?? env["HOSTNAME"] ?? hosts[0];
        // PBS may list fully qualified names while HOSTNAME is short (or the reverse): match on the first label.
        var own = hosts.FirstOrDefault(h => ShortName(h) == ShortName(host)) ?? host;
        var devices = GpuPinning.ForLocalRank(env["CUDA_VISIBLE_DEVICES"], 0, 1);
        return Place(options, hosts[0], own, localRank: 0) with { Devices = devices };
    }

    /// <summary>Binds to the allocation's host (not loopback) and points the seed list at the first host.</summary>
    private static NodeOptions Place(NodeOptions options, string seedHost, string host, int localRank)
    {
        var placed = options with
        {
            Hostname = IsLoopback(options.Hostname) ? host : options.Hostname,
            Port = options.Port + localRank,
            // Several tasks on one host: each its own admin port too (rank 0 keeps the base port the batch script submits to).
            Admin = options.Admin.Port > 0 ? options.Admin with { Port = options.Admin.Port + localRank } : options.Admin
        };
        if (options.SeedNodes.Count > 0) return placed;
        return placed with { SeedNodes = [options.NodeAddress(seedHost, options.Port)] };
    }

    /// <summary>SLURM_TASKS_PER_NODE: "2(x3),1" = 2 tasks on each of the first three nodes, 1 on the fourth.</summary>
    public static int? TasksOnNode(string? tasksPerNode, int nodeIndex)
    {
        if (tasksPerNode is null) return null;
        var seen = 0;
        foreach (var group in tasksPerNode.Split(','))
        {
            var paren = group.IndexOf("(x", StringComparison.Ordinal);
            var count = int.Parse(paren < 0 ? group : group[..paren], CultureInfo.InvariantCulture);
            var repeat = paren < 0 ? 1 : int.Parse(group[(paren + 2)..^1], CultureInfo.InvariantCulture);
            if (nodeIndex < seen + repeat) return count;
            seen += repeat;
        }
        return null;
    }

    private static int? Integer(BatchEnvironment env, string name) =>
        env[name] is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsLoopback(string host) => host is "127.0.0.1" or "localhost" or "::1";

    private static string ShortName(string host) => host.Split('.')[0];
}
