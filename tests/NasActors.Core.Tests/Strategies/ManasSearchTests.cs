using NasActors.Core.Randomness;
using NasActors.Core.Strategies.Manas;

namespace NasActors.Core.Tests.Strategies;

public sealed class ManasSearchTests
{
    [Fact]
    public void Agents_weights_concentrate_on_the_best_choice()
    {
        var space = Mlp();
        var strategy = new ManasSearch(Context(seed: 5), new ManasOptions());

        Run(strategy, 200, t => (space.Activation(t.Genotype) == "gelu" ? 0.8 : 0.2) + (space.Dropout(t.Genotype) == 0.0 ? 0.2 : 0));

        var act = strategy.Agents[space.IndexOf("act")];
        var dropout = strategy.Agents[space.IndexOf("dropout")];
        Assert.Equal(1, act.Best);
        Assert.True(act.Probabilities()[1] > 0.8, $"p(gelu) = {act.Probabilities()[1]}");
        Assert.Equal(0, dropout.Best);
    }

    [Fact]
    public void An_agent_whose_decision_did_not_matter_learns_nothing()
    {
        var space = Mlp();
        var strategy = new ManasSearch(Context(seed: 6), new ManasOptions());
        var results = Run(strategy, 50);

        var deepTrials = results.Count(r => space.Depth(r.Trial.Genotype) == 3);
        Assert.Equal(deepTrials, strategy.Agents[space.IndexOf("w3")].Updates);
        Assert.Equal(50, strategy.Agents[space.IndexOf("act")].Updates);
    }

    [Fact]
    public void Agent_update_is_importance_weighted_and_its_snapshot_round_trips()
    {
        var agent = new ManasAgent("edge", 4, gamma: 0.2);
        agent.Learn(choice: 2, probability: 0.25, reward: 1);

        Assert.Equal(0.2 * (1 / 0.25) / 4, agent.LogWeights[2], 12);
        var restored = ManasAgent.Restore(agent.Save());
        Assert.Equal(agent.LogWeights, restored.LogWeights);
        Assert.Equal(agent.Act(new SeededRandom(9)), restored.Act(new SeededRandom(9)));
        Assert.Equal(1, restored.Updates);
    }
}
