using FsCheck.Xunit;
using NasActors.Core.Randomness;
using NasActors.Core.Spaces;

namespace NasActors.Core.Tests.Spaces;

/// <summary>Properties every space keeps, checked on random seeds drawn by FsCheck.</summary>
public sealed class SpacePropertyTests
{
    private static readonly SearchSpace[] Spaces =
    [
        new MlpSpace(new MlpSpaceOptions([1, 2, 4], [8, 16, 64], ["relu", "gelu"], [0.0, 0.3], new LogUniformDecision("lr", 1e-4, 1e-1), 10, 3)),
        new Nb201Space(),
        new Nb201Space(mergeIsomorphic: true),
        new CnnSpace(CnnSpaceOptions.Mnas(5, 32, 3, 10)),
        new JointSpace(new Nb201Space(mergeIsomorphic: true),
            [new LogUniformDecision("weight_decay", 1e-6, 1e-2), new CategoricalDecision("batch_size", ["32", "256"])])
    ];

    private static void AssertValid(SearchSpace space, Genotype g)
    {
        var rebuilt = space.FromValues(g.Values);
        Assert.Equal(g.Canonical, rebuilt.Canonical);
        Assert.Equal(g.Values.ToArray(), rebuilt.Values.ToArray());
        Assert.Equal(g.Hash, rebuilt.Hash);
    }

    [Property]
    public void Sample_mutate_and_crossover_stay_in_the_space(long seed)
    {
        var random = new SeededRandom(seed);
        foreach (var space in Spaces)
        {
            var a = space.Sample(random);
            var b = space.Sample(random);
            AssertValid(space, a);
            var child = space.Mutate(a, random);
            AssertValid(space, child);
            Assert.NotEqual(a, child);
            AssertValid(space, space.Crossover(a, b, random));
            AssertValid(space, space.EditPathCrossover(a, b, random));
        }
    }

    [Property]
    public void Nb201_strings_round_trip(long seed)
    {
        var random = new SeededRandom(seed);
        foreach (var space in new[] { new Nb201Space(), new Nb201Space(mergeIsomorphic: true) })
        {
            var g = space.Sample(random);
            var parsed = space.Parse(g.Canonical);
            Assert.Equal(g, parsed);
            Assert.Equal(g.Values.ToArray(), parsed.Values.ToArray());
        }
    }

    [Property]
    public void Neighbours_are_valid_distinct_and_one_decision_away(long seed)
    {
        var random = new SeededRandom(seed);
        foreach (var space in Spaces.Where(s => s is not Nb201Space { MergeIsomorphic: true } and not JointSpace))
        {
            var g = space.Sample(random);
            var neighbours = space.Neighbours(g);
            Assert.NotEmpty(neighbours);
            Assert.Equal(neighbours.Count, neighbours.Distinct().Count());
            Assert.All(neighbours, n =>
            {
                AssertValid(space, n);
                Assert.NotEqual(g, n);
            });
        }
    }

    [Property]
    public void Unit_encoding_decodes_back_to_the_same_choice(long seed)
    {
        var random = new SeededRandom(seed);
        foreach (var space in Spaces)
        {
            var g = space.Sample(random);
            var decoded = space.Create(g.Values.Select((v, i) => space.Decisions[i].FromUnit(space.Decisions[i].ToUnit(v))));
            Assert.Equal(g, decoded);
        }
    }
}
