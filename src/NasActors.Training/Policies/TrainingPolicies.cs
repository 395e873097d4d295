using NasActors.Core.Strategies.Reinforcement;

namespace NasActors.Training.Policies;

/// <summary>
/// Puts the Torch-backed controllers into Core's <see cref="PolicyRegistry"/>. Called once by each
/// composition root that may build a reinforce search (the CLI) and by tests; calling it again is harmless.
/// </summary>
public static class TrainingPolicies
{
    public static void Register() =>
        PolicyRegistry.Register(LstmPolicy.Name, (choices, seed) => new LstmPolicy(choices, seed));
}
