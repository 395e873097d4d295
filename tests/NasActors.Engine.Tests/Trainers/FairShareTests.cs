using NasActors.Engine.Searches;
using NasActors.Engine.Trainers;

namespace NasActors.Engine.Tests.Trainers;

public class FairShareTests
{
    private static readonly SearchId A = new("a"), B = new("b"), C = new("c");

    private static Dictionary<SearchId, int> Take(FairShare share, int n)
    {
        var taken = new Dictionary<SearchId, int>();
        for (var i = 0; i < n; i++)
        {
            var next = share.Next(0)!;
            share.Served(next);
            taken[next] = taken.GetValueOrDefault(next) + 1;
        }
        return taken;
    }

    [Fact]
    public void Equal_priorities_share_trials_equally()
    {
        var share = new FairShare();
        share.Update([A, B, C]);
        Assert.Equal([10, 10, 10], Take(share, 30).OrderBy(kv => kv.Key.Value).Select(kv => kv.Value));
    }

    [Fact]
    public void A_search_of_priority_three_gets_three_times_the_trials()
    {
        var share = new FairShare();
        share.Update([A, B]);
        share.Weigh(A, 3);
        var taken = Take(share, 40);
        Assert.Equal(30, taken[A]);
        Assert.Equal(10, taken[B]);
    }

    [Fact]
    public void A_search_without_work_is_skipped_until_its_dry_spell_ends_and_one_that_is_over_for_good()
    {
        var share = new FairShare();
        share.Update([A, B, C]);
        share.Dry(A, untilMs: 100);
        share.Over(B);
        Assert.Equal(C, share.Next(50));
        Assert.Equal(A, share.Next(100));
        share.Dry(C, untilMs: 1000);
        share.Dry(A, untilMs: 1000);
        Assert.Null(share.Next(500));
    }

    [Fact]
    public void Searches_the_index_no_longer_lists_are_never_chosen()
    {
        var share = new FairShare();
        share.Update([A, B]);
        share.Served(A);
        share.Update([A]);
        Assert.Equal(A, share.Next(0));
        share.Update([]);
        Assert.Null(share.Next(0));
    }
}
