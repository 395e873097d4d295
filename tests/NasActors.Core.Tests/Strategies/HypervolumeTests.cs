using NasActors.Core.Strategies.MultiObjective;

namespace NasActors.Core.Tests.Strategies;

public sealed class HypervolumeTests
{
    [Fact]
    public void Two_objectives_sum_the_staircase()
    {
        // Staircase over (0, 0): 3·1 + 2·(2 − 1) + 1·(3 − 2) = 6; the dominated (1, 1) and the point level with
        // the reference, (4, 0), add nothing.
        double[][] front = [[3, 1], [2, 2], [1, 3], [1, 1], [4, 0]];
        Assert.Equal(6.0, Hypervolume.Of(front, [0, 0]), 12);
        // Reference (1, 0): (1, 3) no longer beats it; (3 − 1)·1 + (2 − 1)·(2 − 1) = 3.
        Assert.Equal(3.0, Hypervolume.Of(front, [1, 0]), 12);
    }

    [Fact]
    public void Three_objectives_count_overlaps_once()
    {
        Assert.Equal(1.0, Hypervolume.Of([[1, 1, 1]], [0, 0, 0]), 12);
        // Two unit-overlapping 2×1×1 boxes: 2 + 2 − 1.
        Assert.Equal(3.0, Hypervolume.Of([[2, 1, 1], [1, 2, 1]], [0, 0, 0]), 12);
        // Three boxes of volume 2, pairwise overlaps of 1, common part 1: 6 − 3 + 1.
        Assert.Equal(4.0, Hypervolume.Of([[2, 1, 1], [1, 2, 1], [1, 1, 2]], [0, 0, 0]), 12);
        // Against (−1, −1, −1): boxes of 3·2·2 = 12, every pairwise and the triple overlap 2·2·2 = 8: 36 − 24 + 8.
        Assert.Equal(20.0, Hypervolume.Of([[2, 1, 1], [1, 2, 1], [1, 1, 2]], [-1, -1, -1]), 12);
    }

    [Fact]
    public void Default_reference_lies_a_tenth_of_the_range_beyond_the_worst()
    {
        Assert.Equal([0.8, -32.0], Hypervolume.DefaultReference([[1, -10], [3, -30], [2, -20]]).Select(v => Math.Round(v, 12)));
        Assert.Equal([4.0], Hypervolume.DefaultReference([[5]]));
    }

    [Fact]
    public void More_than_three_objectives_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => Hypervolume.Of([[1, 1, 1, 1]], [0, 0, 0, 0]));
    }
}
