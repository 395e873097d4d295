using NasActors.Core.Specs;
using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers.FaultInjection;

/// <summary>
/// A testing hook around the real evaluator provider: builds the fake evaluator when the plan asks for
/// one, and wraps the evaluator so the trials the plan names misbehave. Never part of a normal run:
/// <see cref="FromEnvironment"/> returns the real provider untouched when <c>NAS_FAULTS</c> is unset.
/// </summary>
public sealed class FaultInjectingEvaluatorProvider(IEvaluatorProvider inner, FaultPlan plan) : IEvaluatorProvider
{
    /// <exception cref="FormatException"><c>NAS_FAULTS</c> is malformed (one line saying what was expected).</exception>
    public static IEvaluatorProvider FromEnvironment(IEvaluatorProvider real)
    {
        var plan = FaultPlan.Parse(Environment.GetEnvironmentVariable(FaultPlan.EnvironmentVariable));
        if (plan.IsEmpty) return real;
        Console.Error.WriteLine($"{FaultPlan.EnvironmentVariable}={plan}: fault injection is on (a testing hook, see docs/RELIABILITY.md)");
        return new FaultInjectingEvaluatorProvider(real, plan);
    }

    public ITrialEvaluator For(SearchDefinition definition)
    {
        var evaluator = plan.FakeDuration is { } duration ? new FakeEvaluator(definition, duration, plan.FakeDurationMax) : inner.For(definition);
        return plan.Faults.Count == 0 ? evaluator : new FaultInjectingEvaluator(evaluator, plan);
    }
}
