using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers.FaultInjection;

namespace NasActors.Chaos.Tests;

/// <summary>The NAS_FAULTS testing hook itself: its parser, the fake evaluator and the faults that need no clock.</summary>
public class FaultPlanTests
{
    [Fact]
    public void Parses_every_fault_kind_and_the_fake_duration()
    {
        var plan = FaultPlan.Parse("fake:250ms, nan@3,throw@4 hang@5,hang-once@6,kill@7");

        Assert.Equal(TimeSpan.FromMilliseconds(250), plan.FakeDuration);
        Assert.Equal(FaultKind.Nan, plan.For(3));
        Assert.Equal(FaultKind.Throw, plan.For(4));
        Assert.Equal(FaultKind.Hang, plan.For(5));
        Assert.Equal(FaultKind.HangOnce, plan.For(6));
        Assert.Equal(FaultKind.Kill, plan.For(7));
        Assert.Null(plan.For(1));
        Assert.Equal("fake:250ms,nan@3,throw@4,hang@5,hang-once@6,kill@7", plan.ToString());
    }

    [Theory]
    [InlineData("fake:1.5s", 1500)]
    [InlineData("fake:2s", 2000)]
    [InlineData("fake", 200)]
    public void The_fake_duration_takes_ms_or_s(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), FaultPlan.Parse(text).FakeDuration);

    [Fact]
    public async Task A_fake_duration_range_gives_each_trial_its_own_seeded_duration_within_it()
    {
        var plan = FaultPlan.Parse("fake:20ms..60ms");
        Assert.Equal((TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(60)), (plan.FakeDuration, plan.FakeDurationMax));
        Assert.Equal("fake:20ms..60ms", plan.ToString());

        var definition = Definition();
        var fake = new FakeEvaluator(definition, plan.FakeDuration!.Value, plan.FakeDurationMax);
        var context = new TrialContext(Path.GetTempPath(), 1);
        var seconds = new List<double>();
        for (var id = 1; id <= 6; id++) seconds.Add((await fake.EvaluateAsync(Trial(definition, id, seed: id), context, CancellationToken.None)).Seconds);
        var again = await fake.EvaluateAsync(Trial(definition, 1, seed: 1), context, CancellationToken.None);

        Assert.All(seconds, s => Assert.InRange(s, 0.020, 0.060));
        Assert.True(seconds.Distinct().Count() > 1, "every trial took the same time: " + string.Join(", ", seconds));
        Assert.Equal(seconds[0], again.Seconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_or_blank_means_no_faults(string? text) => Assert.True(FaultPlan.Parse(text).IsEmpty);

    [Theory]
    [InlineData("explode@3", "'explode@3': unknown fault")]
    [InlineData("nan", "'nan': unknown fault")]
    [InlineData("nan@x", "'nan@x': the trial id")]
    [InlineData("nan@0", "'nan@0': the trial id")]
    [InlineData("nan@-2", "'nan@-2': the trial id")]
    [InlineData("nan@3,kill@3", "'kill@3': trial 3 already has a fault (nan)")]
    [InlineData("fake:200", "'fake:200': the fake's duration needs a unit")]
    [InlineData("fake:fastms", "'fake:fastms': the fake's duration is not a number")]
    [InlineData("fake:1s,fake:2s", "'fake:2s': fake is given twice")]
    [InlineData("fake:4s..2s", "'fake:4s..2s': the range's second end must not be shorter")]
    [InlineData("fake:1s..2s..3s", "'fake:1s..2s..3s': a range has two ends")]
    [InlineData("fake:1s..soon", "'fake:1s..soon': the fake's duration needs a unit")]
    public void A_malformed_plan_is_one_line_naming_the_variable_the_entry_and_what_was_expected(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => FaultPlan.Parse(text));
        Assert.StartsWith("NAS_FAULTS: ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains("expected entries like", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task The_fake_evaluator_scores_a_trial_the_same_every_time_and_differs_between_trials()
    {
        var definition = Definition();
        var fake = new FakeEvaluator(definition, TimeSpan.Zero);
        var context = new TrialContext(Path.GetTempPath(), 1);
        var first = Trial(definition, 1, seed: 42);

        var a = await fake.EvaluateAsync(first, context, CancellationToken.None);
        var b = await fake.EvaluateAsync(first, context, CancellationToken.None);
        var other = await fake.EvaluateAsync(Trial(definition, 2, seed: 43), context, CancellationToken.None);

        Assert.Equal(a, b);
        Assert.NotEqual(a.ValidationAccuracy, other.ValidationAccuracy);
        Assert.InRange(a.ValidationAccuracy, 0.5, 0.95);
        Assert.Equal(definition.Space.ParameterCount(first.Genotype), a.Parameters);
    }

    [Fact]
    public async Task The_fake_evaluator_honours_cancellation()
    {
        var definition = Definition();
        var fake = new FakeEvaluator(definition, TimeSpan.FromHours(1));
        using var cancel = new CancellationTokenSource();
        var running = fake.EvaluateAsync(Trial(definition, 1, 1), new TrialContext(Path.GetTempPath(), 1), cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Nan_and_throw_hit_only_their_trials()
    {
        var definition = Definition();
        var evaluator = new FaultInjectingEvaluatorProvider(new Unused(), FaultPlan.Parse("fake:0ms,nan@3,throw@4")).For(definition);
        var context = new TrialContext(Path.GetTempPath(), 1);

        var nan = await evaluator.EvaluateAsync(Trial(definition, 3, 1), context, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => evaluator.EvaluateAsync(Trial(definition, 4, 1), context, CancellationToken.None));
        var clean = await evaluator.EvaluateAsync(Trial(definition, 5, 1), context, CancellationToken.None);

        Assert.True(double.IsNaN(nan.ValidationLoss));
        Assert.Contains("trial 4", error.Message);
        Assert.False(double.IsNaN(clean.ValidationLoss));
    }

    [Fact]
    public async Task Hang_once_passes_a_trial_whose_first_attempt_is_on_record_and_counts_attempts_on_disk()
    {
        var definition = Definition();
        var search = Directory.CreateTempSubdirectory("nas-faults-").FullName;
        try
        {
            var context = new TrialContext(Path.Combine(search, "trials"), 1);
            Assert.Equal(1, AttemptLog.Record(context, 5)); // the attempt that hung, before a restart
            var evaluator = new FaultInjectingEvaluatorProvider(new Unused(), FaultPlan.Parse("fake:0ms,hang-once@5")).For(definition);

            var metrics = await evaluator.EvaluateAsync(Trial(definition, 5, 1), context, CancellationToken.None);

            Assert.InRange(metrics.ValidationAccuracy, 0.5, 0.95);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(search, "faults", "trial-5.attempts")).Length);
        }
        finally
        {
            Directory.Delete(search, recursive: true);
        }
    }

    [Fact]
    public void Without_NAS_FAULTS_the_real_provider_is_used_untouched()
    {
        var real = new Unused();
        Assert.Null(Environment.GetEnvironmentVariable(FaultPlan.EnvironmentVariable));
        Assert.Same(real, FaultInjectingEvaluatorProvider.FromEnvironment(real));
    }

    private static SearchDefinition Definition() =>
        SearchDefinition.From(SpecReader.Read(TinySpecs.Digits(trials: 4), "chaos.yaml"), new DatasetShape(64, 10));

    private static TrialRequest Trial(SearchDefinition definition, int id, long seed) =>
        new(id, definition.Space.Sample(new Core.Randomness.SeededRandom(seed)), new Fidelity(3), seed);

    /// <summary>The real provider is never asked for an evaluator when the plan has a fake.</summary>
    private sealed class Unused : Engine.Trainers.IEvaluatorProvider
    {
        public ITrialEvaluator For(SearchDefinition definition) => throw new InvalidOperationException("the fake should have been used");
    }
}
