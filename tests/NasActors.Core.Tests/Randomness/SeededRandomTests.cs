using NasActors.Core.Randomness;

namespace NasActors.Core.Tests.Randomness;

public sealed class SeededRandomTests
{
    private static ulong[] Draw(SeededRandom r, int n) => Enumerable.Range(0, n).Select(_ => r.NextUInt64()).ToArray();

    [Fact]
    public void Same_seed_gives_the_same_stream()
    {
        Assert.Equal(Draw(new SeededRandom(42), 100), Draw(new SeededRandom(42), 100));
        Assert.NotEqual(Draw(new SeededRandom(42), 100), Draw(new SeededRandom(43), 100));
    }

    [Fact]
    public void Restored_state_continues_the_stream_bit_for_bit()
    {
        var original = new SeededRandom(7);
        Draw(original, 13);
        var copy = SeededRandom.FromState(original.State);
        Assert.Equal(Draw(original, 50), Draw(copy, 50));
        Assert.Throws<ArgumentException>(() => SeededRandom.FromState([1, 2, 3]));
    }

    [Fact]
    public void Draws_stay_in_range_and_cover_it()
    {
        var random = new SeededRandom(1);
        var counts = new int[5];
        for (var i = 0; i < 5_000; i++) counts[random.NextInt(5)]++;
        Assert.All(counts, c => Assert.InRange(c, 900, 1_100));
        for (var i = 0; i < 1_000; i++) Assert.InRange(random.NextDouble(), 0.0, 0.9999999999999999);
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }
}
