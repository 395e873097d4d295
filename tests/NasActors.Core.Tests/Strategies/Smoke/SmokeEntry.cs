using NasActors.Core.Specs;

namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>A strategy as one row of the smoke: its label, and the spec that builds it (registry defaults for what it leaves out).</summary>
public sealed record SmokeEntry(string Label, StrategySpec Spec, string Note = "")
{
    public static SmokeEntry Defaults(string name) => new(name, new StrategySpec(name, new Dictionary<string, double>()));

    public static SmokeEntry With(string name, string note, params (string Key, double Value)[] parameters) =>
        new(name, new StrategySpec(name, parameters.ToDictionary(p => p.Key, p => p.Value)), note);
}
