using NasActors.Core.Specs;
using NasActors.Core.Strategies;
using NasActors.Core.Trials;
using Xunit;
using static NasActors.Core.Tests.Strategies.StrategyTestKit;

namespace NasActors.Core.Tests.Strategies;

/// <summary>
/// Every registered strategy, built from its spec defaults, under a messy asynchronous schedule:
/// three trials in flight, results out of order, failures, cancellations and duplicates.
/// </summary>
public sealed class RegisteredStrategiesTests
{
    public static TheoryData<string> Names => new(StrategyRegistry.Names);

    private static ISearchStrategy Create(string name, long seed = 7)
    {
        StrategyRegistry.TryGet(name, out var registration);
        // Defaults, but a smaller predictor pool keeps the test fast.
        var spec = new StrategySpec(name, registration.Parameters.ToDictionary(p => p.Name, p => p.Name == "pool_size" ? 200 : p.Default));
        return StrategyRegistry.Create(spec, Context(seed, maxParameters: 20_000));
    }

    /// <summary>Drives <paramref name="steps"/> asks; returns what was proposed (null for "nothing yet").</summary>
    private static List<string> Drive(ISearchStrategy strategy, int firstId, int steps)
    {
        var log = new List<string>();
        var inFlight = new List<TrialRequest>();
        for (var id = firstId; id < firstId + steps; id++)
        {
            var trial = strategy.Ask(id);
            log.Add(trial is null ? "-" : $"{trial.Genotype}@{trial.Fidelity.Epochs}");
            if (trial is not null) inFlight.Add(trial);
            if (inFlight.Count < 3 && trial is not null) continue;
            // Finish the newest first (out of order); fail or cancel some; repeat some results.
            var done = inFlight[^1];
            inFlight.RemoveAt(inFlight.Count - 1);
            TrialOutcome outcome = done.TrialId % 7 == 3 ? new TrialFailedOutcome(done.TrialId, "diverged")
                : done.TrialId % 11 == 5 ? new TrialCancelledOutcome(done.TrialId)
                : Succeed(done);
            strategy.Tell(outcome);
            if (done.TrialId % 5 == 0) strategy.Tell(outcome);
        }
        foreach (var trial in inFlight) strategy.Tell(Succeed(trial));
        return log;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_seed_same_schedule_gives_the_same_trials(string name) =>
        Assert.Equal(Drive(Create(name), 0, 40), Drive(Create(name), 0, 40));

    [Theory]
    [MemberData(nameof(Names))]
    public void Restored_strategy_continues_exactly_like_the_original(string name)
    {
        var original = Create(name);
        Drive(original, 0, 30);
        var inFlight = Enumerable.Range(100, 2).Select(original.Ask).ToList(); // snapshot with trials pending
        var restored = Create(name, seed: 999);
        restored.RestoreState(original.SaveState());

        Assert.Equal(original.Pending, restored.Pending);
        foreach (var trial in inFlight.OfType<TrialRequest>())
        {
            original.Tell(Succeed(trial));
            restored.Tell(Succeed(trial));
        }
        Assert.Equal(Drive(original, 200, 20), Drive(restored, 200, 20));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Proposals_respect_the_parameter_limit_and_nothing_stays_pending(string name)
    {
        var strategy = Create(name);
        var context = Context(maxParameters: 20_000);
        for (var id = 0; id < 40; id++)
        {
            var trial = strategy.Ask(id);
            if (trial is null) continue;
            Assert.True(context.IsFeasible(trial.Genotype), $"{trial.Genotype} exceeds the limit");
            strategy.Tell(Succeed(trial));
        }
        Assert.Empty(strategy.Pending);
    }
}
