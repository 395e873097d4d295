using System.Collections.Concurrent;

namespace NasActors.Core.Strategies.Reinforcement;

/// <summary>
/// Controller policies by spec name (<c>strategy: {name: reinforce, controller: NAME}</c>). Core registers
/// the factorised softmax; other assemblies add theirs at startup (NasActors.Training registers
/// <c>lstm</c> through <c>TrainingPolicies.Register()</c>, called by the CLI's composition root), so Core
/// never depends on Torch. A factory gets the choices per decision and the search's seed.
/// </summary>
public static class PolicyRegistry
{
    public const string Factorized = "factorized";

    private static readonly ConcurrentDictionary<string, Func<IReadOnlyList<int>, long, IPolicy>> Factories = new(StringComparer.Ordinal)
    {
        [Factorized] = (choices, _) => new FactorizedSoftmaxPolicy(choices)
    };

    public static IEnumerable<string> Names => Factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>Adds or replaces a controller; registering the same name twice is harmless (composition roots and tests both call it).</summary>
    public static void Register(string name, Func<IReadOnlyList<int>, long, IPolicy> factory) => Factories[name] = factory;

    public static IPolicy Create(string name, IReadOnlyList<int> choices, long seed) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(choices, seed)
            : throw new ArgumentException($"unknown controller '{name}'; registered: {string.Join(", ", Names)} (lstm is registered by NasActors.Training)");
}
