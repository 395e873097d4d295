using Akka.TestKit.Xunit2;
using NasActors.Core.Specs;
using NasActors.Core.Strategies.Curriculum;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Searches;

/// <summary>A three-stage curriculum whose coordinator is killed in stage 2 and resumes in stage 2.</summary>
public class CurriculumSearchTests() : TestKit(AkkaConfig.InMemory)
{
    private static SearchSpec ThreeStages(int snapshotEvery) => TestSpecs.Mlp(4 + 3 + 2, "reinforce", snapshotEvery: snapshotEvery) with
    {
        Stages =
        [
            new StageSpec("coarse", 1, 0.25, 4, 2, null, new Dictionary<string, IReadOnlyList<string>> { ["depth"] = ["1"] }),
            new StageSpec("refine", 2, 0.5, 3, 1, null, null),
            new StageSpec("final", 4, 1.0, 2, null, null, null)
        ]
    };

    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void A_curriculum_killed_in_stage_2_resumes_in_stage_2(int snapshotEvery)
    {
        var search = new EntitySearch(this, LocalRegions.Start(Sys), new SearchId($"plan-{snapshotEvery}")).Start(ThreeStages(snapshotEvery), "c1");
        var coarse = Enumerable.Range(0, 4).Select(i => search.Lease($"t{i}")).ToArray(); // four trainers: one asking again would hear its own lease
        Assert.All(coarse, w => Assert.Equal((1, 0.25), (w.Trial.Epochs, w.Trial.DataFraction)));
        Assert.All(coarse, w => Assert.Equal(0, w.Trial.Values[0])); // depth restricted to "1": option 0
        for (var i = 0; i < 4; i++) search.Complete("t", coarse[i].Trial.TrialId, 0.1 * (i + 1));

        var promoted = search.Lease("t");
        Assert.Equal(coarse[3].Trial.Values, promoted.Trial.Values); // the best of coarse, re-evaluated
        Assert.Equal(2, promoted.Trial.Epochs);
        search.Complete("t", promoted.Trial.TrialId, 0.5);
        var inFlight = search.Lease("t");
        Assert.Equal(new CurriculumProgress(2, 3, "refine", 1, 3), search.Status().Curriculum);

        search.KillAndRecover("c2");

        search.Complete("t", inFlight.Trial.TrialId, 0.7);
        var last = search.Lease("t");
        Assert.Equal(2, last.Trial.Epochs);
        search.Complete("t", last.Trial.TrialId, 0.2);
        var final = new[] { search.Lease("t"), search.Lease("u") };
        Assert.Equal(inFlight.Trial.Values, final[0].Trial.Values); // refine's best opens the final stage
        Assert.All(final, w => Assert.Equal(4, w.Trial.Epochs));
        foreach (var w in final) search.Complete("t", w.Trial.TrialId, 0.3);
        var done = search.Status();
        Assert.Equal(SearchPhase.Finished, done.Phase);
        Assert.Equal(9, done.Completed);
    }
}
