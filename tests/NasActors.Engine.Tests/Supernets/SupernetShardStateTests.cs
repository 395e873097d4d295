using NasActors.Engine.Searches;
using NasActors.Engine.Supernets;
using static NasActors.Engine.Supernets.SupernetShardEvents;

namespace NasActors.Engine.Tests.Supernets;

public sealed class SupernetShardStateTests
{
    private static readonly SupernetShardId Id = new(new SearchId("s"), 1);

    /// <summary>Decides and applies as the actor does once files are written and events persisted.</summary>
    private static ShardPlan Run(SupernetShardState state, ShardPlan plan)
    {
        foreach (var e in plan.Events) state.Apply(e);
        foreach (var (block, weights) in plan.Weights) state.Cache(block, state.Versions[block], weights);
        return plan;
    }

    private static SupernetShardState Started(int maxStaleness = 2)
    {
        var state = new SupernetShardState(Id);
        Run(state, state.DecideInitialise(maxStaleness, new Dictionary<string, byte[]>
        {
            ["a"] = FakeSupernet.Block(1, 2).ToBytes(),
            ["b"] = FakeSupernet.Block(0, 0).ToBytes()
        }));
        return state;
    }

    private static BlockPush Push(string block, long baseVersion, float delta) => new(block, baseVersion, FakeSupernet.Block(delta, delta).ToBytes());

    [Fact]
    public void Initialising_twice_keeps_the_first_weights_and_writes_version_0_files()
    {
        var state = Started();
        Assert.Equal(new Dictionary<string, long> { ["a"] = 0, ["b"] = 0 }, state.Versions);
        Assert.Empty(state.DecideInitialise(5, new Dictionary<string, byte[]> { ["c"] = FakeSupernet.Block(9, 9).ToBytes() }).Events);
        var fresh = new SupernetShardState(Id).DecideInitialise(2, new Dictionary<string, byte[]> { ["a"] = FakeSupernet.Block(1, 2).ToBytes() });
        Assert.Equal(Path.Combine("supernets", "s", "shard-1", "a", "v0.bin"), Assert.Single(fresh.Writes).File);
    }

    [Fact]
    public void Pushes_within_the_staleness_bound_add_their_deltas_and_bump_the_version()
    {
        var state = Started(maxStaleness: 2);
        // Two trainers fetched 'a' at version 0; both pushes land, one after the other.
        var first = Run(state, state.DecidePush([Push("a", 0, 1)]));
        var second = Run(state, state.DecidePush([Push("a", 0, 10)]));

        Assert.Equal(1, Assert.Single(first.Results).Version);
        Assert.Equal(2, Assert.Single(second.Results).Version);
        Assert.Equal([12f, 13f], FakeSupernet.Values(state.Fetch(["a"])[0].Weights));
        Assert.Equal(2, state.Updates);
        Assert.Equal(Path.Combine("supernets", "s", "shard-1", "a", "v2.bin"), Assert.Single(second.Writes).File);
    }

    [Fact]
    public void A_push_older_than_the_bound_is_refused_and_changes_nothing_but_the_count()
    {
        var state = Started(maxStaleness: 1);
        Run(state, state.DecidePush([Push("a", 0, 1)]));
        Run(state, state.DecidePush([Push("a", 1, 1)]));
        var stale = Run(state, state.DecidePush([Push("a", 0, 100), Push("b", 0, 1)]));

        Assert.False(stale.Results[0].Accepted);
        Assert.Contains("stale: based on version 0, the block is at 2", stale.Results[0].Refusal);
        Assert.True(stale.Results[1].Accepted);
        Assert.Equal([3f, 4f], FakeSupernet.Values(state.Fetch(["a"])[0].Weights));
        Assert.Equal(1, state.Refused);
        Assert.Equal(3, state.Updates);
    }

    [Fact]
    public void Unknown_blocks_and_future_versions_are_refused_without_events()
    {
        var state = Started();
        var plan = state.DecidePush([Push("zzz", 0, 1), Push("a", 5, 1)]);
        Assert.Empty(plan.Events);
        Assert.All(plan.Results, r => Assert.False(r.Accepted));
    }

    [Fact]
    public void A_push_of_a_round_is_decided_once_per_block_and_a_second_copy_is_a_duplicate()
    {
        var state = Started(maxStaleness: 0);
        var first = Run(state, state.DecidePush([Push("a", 0, 1)], round: 4));
        // The same round again (a re-sent push, a re-run round): "a" is answered as before and not merged twice; "b" is new.
        var again = Run(state, state.DecidePush([Push("a", 0, 1), Push("b", 0, 1)], round: 4));
        // A stale refusal decides the round too.
        var stale = Run(state, state.DecidePush([Push("b", 0, 7)], round: 5));
        var staleAgain = Run(state, state.DecidePush([Push("b", 1, 7)], round: 5));

        Assert.True(first.Results[0].Accepted);
        Assert.True(again.Results[0] is { Accepted: true, Duplicate: true, Version: 1 });
        Assert.True(again.Results[1] is { Accepted: true, Duplicate: false, Version: 1 });
        Assert.Single(again.Events);
        Assert.False(stale.Results[0].Accepted);
        Assert.True(staleAgain.Results[0].Duplicate);
        Assert.Empty(staleAgain.Events);
        Assert.Equal([2f, 3f], FakeSupernet.Values(state.Fetch(["a"])[0].Weights));
        Assert.Equal(new Dictionary<string, IReadOnlyList<int>> { ["a"] = [4], ["b"] = [4, 5] }, state.Rounds);

        var restored = new SupernetShardState(Id);
        restored.Restore(state.ToSnapshot());
        Assert.Equal(state.Rounds, restored.Rounds);
    }

    [Fact]
    public void A_snapshot_restores_the_versions_and_asks_for_the_files_of_those_versions()
    {
        var state = Started();
        Run(state, state.DecidePush([Push("a", 0, 1)]));
        var restored = new SupernetShardState(Id);
        restored.Restore(state.ToSnapshot());

        Assert.Equal(state.Versions, restored.Versions);
        Assert.Equal(state.Updates, restored.Updates);
        Assert.Equal(["v1.bin", "v0.bin"], restored.Unloaded.Select(b => Path.GetFileName(b.File)));
        Assert.Throws<InvalidOperationException>(() => restored.Fetch(["a"]));
    }
}
