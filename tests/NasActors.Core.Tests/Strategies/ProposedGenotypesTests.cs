using System.Text.Json.Nodes;
using NasActors.Core.Randomness;

namespace NasActors.Core.Tests.Strategies;

public sealed class ProposedGenotypesTests
{
    [Fact]
    public void A_genotype_is_proposed_once_and_the_snapshot_restores_the_same_set()
    {
        var space = new Nb201Space();
        var random = new SeededRandom(5);
        var (a, b) = (space.Sample(random), space.Sample(random));
        var proposed = new ProposedGenotypes();

        Assert.Same(a, proposed.Remember(a));
        Assert.False(proposed.Add(a));
        Assert.True(proposed.Add(b));
        Assert.True(proposed.Contains(space.Parse(a.Canonical)));

        var json = proposed.ToJson();
        Assert.Equal(new[] { a.Canonical, b.Canonical }.Order(StringComparer.Ordinal), json.Select(n => n!.GetValue<string>()));
        var restored = new ProposedGenotypes();
        restored.Add(space.Sample(random));
        restored.Restore(JsonNode.Parse(json.ToJsonString())!);
        Assert.Equal(json.ToJsonString(), restored.ToJson().ToJsonString());
        Assert.True(restored.Contains(a) && restored.Contains(b));
    }
}
