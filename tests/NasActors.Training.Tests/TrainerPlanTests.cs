using NasActors.Core.Specs;
using NasActors.Training.Devices;

namespace NasActors.Training.Tests;

public class TrainerPlanTests
{
    private static readonly ExecutionSpec Execution = new(Trainers: 3, ThreadsPerTrainer: 2, LeaseSeconds: 30, SnapshotEvery: 100);

    [Fact]
    public void Without_gpus_the_spec_decides_the_cpu_slots_and_their_threads()
    {
        var plan = TrainerPlan.For(Execution, ["cpu"]);
        Assert.Equal(3, plan.Count);
        Assert.All(plan, slot => Assert.Equal(new TrainerPlan("cpu", 2), slot));
    }

    [Fact]
    public void With_gpus_there_is_one_trainer_pinned_to_each()
    {
        var plan = TrainerPlan.For(Execution, ["cuda:0", "cuda:1"]);
        Assert.Equal(["cuda:0", "cuda:1"], plan.Select(p => p.Device));
    }

    [Fact]
    public void This_cpu_build_discovers_the_cpu()
    {
        Assert.Equal(["cpu"], TrainingDevices.Discover());
    }
}
