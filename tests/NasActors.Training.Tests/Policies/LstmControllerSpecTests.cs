using NasActors.Core.Specs;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Training.Policies;

namespace NasActors.Training.Tests.Policies;

/// <summary><c>strategy: {name: reinforce, controller: lstm}</c> selects the LSTM controller once Training has registered it.</summary>
public sealed class LstmControllerSpecTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-lstm-spec-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_spec_naming_the_lstm_controller_builds_a_reinforce_search_driven_by_it()
    {
        // The same call the CLI's composition root makes; Core alone offers only the factorised policy.
        TrainingPolicies.Register();
        var path = Path.Combine(_folder, "spec.yaml");
        File.WriteAllText(path, $$"""
            name: lstm
            seed: 4
            space: {type: nb201}
            dataset: {path: {{TestData.DigitsPath}}}
            training: {epochs: 12}
            strategy: {name: reinforce, controller: lstm, learning_rate: 0.5}
            budget: {trials: 10}
            """);

        var spec = SpecReader.ReadFile(path);
        var strategy = Assert.IsType<ReinforceSearch>(SearchDefinition.From(spec, new DatasetShape(64, 10)).CreateStrategy());

        Assert.IsType<LstmPolicy>(strategy.Policy);
        Assert.Equal(LstmPolicy.Name, spec.Strategy.Text("controller"));
        Assert.NotNull(strategy.Ask(1));
    }
}
