using NasActors.Node.Bootstrap;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests.Bootstrap;

public sealed class BatchBootstrapTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 19, 0, 0, TimeSpan.Zero);
    private static readonly NodeOptions ClusterNode = new() { Port = 4053, DrainBefore = TimeSpan.FromMinutes(2) };

    [Theory]
    [InlineData("node01", "node01")]
    [InlineData("node[01-03,07],gpu-a[1-2]", "node01 node02 node03 node07 gpu-a1 gpu-a2")]
    [InlineData("n[8-11]", "n8 n9 n10 n11")]
    [InlineData("n[098-101]", "n098 n099 n100 n101")]
    [InlineData("rack[1-2]-n[01-02]", "rack1-n01 rack1-n02 rack2-n01 rack2-n02")]
    [InlineData("a,b[1,3],c.example.org", "a b1 b3 c.example.org")]
    public void Slurm_host_lists_expand_like_scontrol_show_hostnames(string list, string expected) =>
        Assert.Equal(expected.Split(' '), SlurmHostList.Expand(list));

    [Theory]
    [InlineData("node[01-03")]
    [InlineData("node[3-1]")]
    [InlineData("node[a-b]")]
    public void A_malformed_host_list_names_the_variable(string list)
    {
        var error = Assert.Throws<FormatException>(() => SlurmHostList.Expand(list));
        Assert.StartsWith($"SLURM_JOB_NODELIST '{list}':", error.Message);
    }

    [Fact]
    public void A_slurm_task_binds_its_host_at_port_plus_local_rank_and_seeds_from_the_first_host()
    {
        var options = BatchBootstrap.Apply(ClusterNode, Env(new()
        {
            ["SLURM_JOB_NODELIST"] = "node[01-03]", ["SLURM_PROCID"] = "5", ["SLURM_NODEID"] = "2", ["SLURM_LOCALID"] = "1",
            ["SLURM_TASKS_PER_NODE"] = "2(x3)", ["CUDA_VISIBLE_DEVICES"] = "0,1,2,3"
        }));

        Assert.Equal("node03", options.Hostname);
        Assert.Equal(4054, options.Port);
        Assert.Equal(["akka.tcp://nas@node01:4053"], options.SeedNodes);
        Assert.Equal(["1", "3"], options.Devices);
    }

    [Fact]
    public void Explicit_seeds_and_a_configured_bind_address_win_over_the_allocation()
    {
        var configured = ClusterNode with { Hostname = "10.0.0.5", SeedNodes = ["akka.tcp://nas@login:4053"] };

        var options = BatchBootstrap.Apply(configured, Env(new() { ["SLURM_JOB_NODELIST"] = "node[01-02]", ["SLURMD_NODENAME"] = "node02" }));

        Assert.Equal("10.0.0.5", options.Hostname);
        Assert.Equal(["akka.tcp://nas@login:4053"], options.SeedNodes);
    }

    [Fact]
    public void Pbs_uses_one_process_per_distinct_host_and_the_first_host_as_seed()
    {
        var env = Env(new() { ["HOSTNAME"] = "cn2" }) with { PbsNodeFile = ["cn1.hpc", "cn1.hpc", "cn2.hpc", "cn2.hpc", ""] };

        var options = BatchBootstrap.Apply(ClusterNode, env);

        Assert.Equal("cn2.hpc", options.Hostname);
        Assert.Equal(4053, options.Port);
        Assert.Equal(["akka.tcp://nas@cn1.hpc:4053"], options.SeedNodes);
    }

    [Fact]
    public void Outside_a_batch_system_nothing_changes()
    {
        Assert.Equal(ClusterNode, BatchBootstrap.Apply(ClusterNode, Env(new() { ["HOME"] = "/root" })));
    }

    [Theory]
    [InlineData("0,1,2,3", 0, 2, "0,2")]
    [InlineData("0,1,2,3", 1, 2, "1,3")]
    [InlineData("0,1,2,3", 0, 1, "0,1,2,3")]
    [InlineData("GPU-aa,GPU-bb", 2, 3, "GPU-aa")]
    [InlineData("4,5", 1, 4, "5")]
    [InlineData("", 0, 2, "")]
    [InlineData("NoDevFiles", 0, 1, "")]
    public void Gpus_are_shared_out_by_local_rank(string visible, int localRank, int tasksOnNode, string expected) =>
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), GpuPinning.ForLocalRank(visible, localRank, tasksOnNode));

    [Fact]
    public void Gpus_bound_per_task_by_slurm_are_kept_whole() =>
        Assert.Equal(["2", "3"], GpuPinning.ForLocalRank("2,3", 1, 4, boundPerTask: true));

    [Theory]
    [InlineData("2(x3),1", 0, 2)]
    [InlineData("2(x3),1", 2, 2)]
    [InlineData("2(x3),1", 3, 1)]
    [InlineData("4", 0, 4)]
    public void Slurm_tasks_per_node_is_read_for_this_node(string text, int node, int expected) =>
        Assert.Equal(expected, BatchBootstrap.TasksOnNode(text, node));

    [Fact]
    public void The_drain_moment_comes_from_slurm_job_end_time()
    {
        var end = Now.AddMinutes(30);

        var options = BatchBootstrap.Apply(ClusterNode, Env(new()
        {
            ["SLURM_JOB_NODELIST"] = "n1", ["SLURM_JOB_END_TIME"] = end.ToUnixTimeSeconds().ToString()
        }));

        Assert.Equal(end - TimeSpan.FromMinutes(2), options.DrainAt);
    }

    [Fact]
    public void Without_slurm_job_end_time_the_drain_moment_comes_from_scontrol_end_time_in_cluster_local_time()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+1", TimeSpan.FromHours(1), "UTC+1", "UTC+1");
        const string details = "JobId=42 JobName=nas\n   RunTime=00:00:05 TimeLimit=00:30:00 TimeMin=N/A\n   SubmitTime=2026-11-28T19:59:00 EligibleTime=2026-11-28T19:59:00\n   StartTime=2026-11-28T20:00:00 EndTime=2026-11-28T20:30:00 Deadline=N/A\n";

        var options = BatchBootstrap.Apply(ClusterNode,
            Env(new() { ["SLURM_JOB_NODELIST"] = "n1", ["SLURM_JOB_ID"] = "42" }) with { SlurmJobDetails = details, ClusterTimeZone = zone });

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 19, 28, 0, TimeSpan.Zero), options.DrainAt);
    }

    [Fact]
    public void An_unknown_scontrol_end_time_leaves_no_drain_moment() =>
        Assert.Null(AllocationEnd.ScontrolEndTime("StartTime=Unknown EndTime=Unknown Deadline=N/A", TimeZoneInfo.Utc));

    [Theory]
    [InlineData("3600")]
    [InlineData("01:00:00")]
    public void The_pbs_drain_moment_is_the_job_start_plus_walltime(string walltime)
    {
        var start = Now.AddMinutes(-5);
        var env = Env(new() { ["PBS_WALLTIME"] = walltime, ["NAS_JOB_START"] = start.ToUnixTimeSeconds().ToString(), ["HOSTNAME"] = "cn1" })
            with { PbsNodeFile = ["cn1"] };

        var options = BatchBootstrap.Apply(ClusterNode, env);

        Assert.Equal(start + TimeSpan.FromHours(1) - TimeSpan.FromMinutes(2), options.DrainAt);
    }

    [Fact]
    public void Without_drain_before_no_drain_moment_is_set()
    {
        var options = BatchBootstrap.Apply(ClusterNode with { DrainBefore = null },
            Env(new() { ["SLURM_JOB_NODELIST"] = "n1", ["SLURM_JOB_END_TIME"] = Now.ToUnixTimeSeconds().ToString() }));

        Assert.Null(options.DrainAt);
    }

    private static BatchEnvironment Env(Dictionary<string, string> variables) => new(variables, Now, TimeZoneInfo.Utc);
}
