using NasActors.Core.Benchmarks;

namespace NasActors.Core.Tests.Benchmarks;

public sealed class LearningCurveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-curves-").FullName;

    private static readonly MlpSpace Space = new(new MlpSpaceOptions([1], [16, 64], ["relu"], [0.0],
        new LogUniformDecision("lr", 1e-3, 1e-2), InputFeatures: 4, Classes: 2));

    /// <summary>Two configurations (width 16 and 64 at lr 1e-3), two seeds, three epochs; seed s has accuracy 0.1·epoch + 0.01·s.</summary>
    private static LearningCurveTable Table()
    {
        var curves = new List<LearningCurve>();
        foreach (var width in new[] { 0, 1 })
        {
            var arch = Space.Create([0, width, 0, 0, 1e-3]).Canonical;
            for (var seed = 0; seed < 2; seed++)
                curves.Add(new LearningCurve(arch, seed, 100 + width, 50 + width,
                    [1.0, 0.8, 0.6], [0.5, 0.6, 0.7], [1.1, 0.9, 0.7],
                    Enumerable.Range(1, 3).Select(e => 0.1 * e + 0.01 * seed + 0.2 * width).ToArray(), [2.0, 3.0, 4.0]));
        }
        return new LearningCurveTable(curves);
    }

    [Fact]
    public void A_written_table_loads_back_the_same_curves_gzip_or_not()
    {
        foreach (var name in new[] { "t.csv", "t.csv.gz" })
        {
            var path = Path.Combine(_folder, name);
            Table().Write(path);
            var loaded = LearningCurveTable.Load(path);
            Assert.Equal(2, loaded.Count);
            Assert.Equal(3, loaded.Epochs);
            var curve = loaded.Curves(Space.Create([0, 1, 0, 0, 1e-3]).Canonical)[1];
            Assert.Equal([0.31, 0.41, 0.51], curve.ValidationAccuracy.Select(v => Math.Round(v, 4)));
            Assert.Equal((101L, 51L, 1), (curve.Parameters, curve.Flops, curve.Seed));
            Assert.Equal(9.0, curve.SecondsUpTo(3));
        }
    }

    [Fact]
    public void A_row_out_of_epoch_order_names_its_file_and_line()
    {
        var path = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(path, string.Join(',', LearningCurveTable.Header) + "\na,0,1,1,1,1,1,1,1,1\na,0,3,1,1,1,1,1,1,1\n");
        var error = Assert.Throws<FormatException>(() => LearningCurveTable.Load(path));
        Assert.StartsWith($"{path}:3:", error.Message);
    }

    [Fact]
    public void Serves_the_asked_epoch_of_the_seed_drawn_from_the_trial_seed()
    {
        var evaluator = new LearningCurveEvaluator(Table(), Space, gridPoints: 2);
        var genotype = Space.Create([0, 1, 0, 0, 1e-3]);

        var seed0 = evaluator.Evaluate(new TrialRequest(1, genotype, new Fidelity(2), Seed: 10));
        var seed1 = evaluator.Evaluate(new TrialRequest(2, genotype, new Fidelity(2), Seed: 11));

        Assert.Equal(0.4, seed0.ValidationAccuracy, 6);
        Assert.Equal(0.41, seed1.ValidationAccuracy, 6);
        Assert.Equal(5.0, seed0.Seconds);
        Assert.Equal(1.0, seed1.Get(LearningCurveEvaluator.TableSeedMetric));
        Assert.Throws<NotSupportedException>(() => evaluator.Evaluate(new TrialRequest(3, genotype, new Fidelity(4), 10)));
    }

    [Fact]
    public void A_promotion_with_the_same_seed_pays_only_its_extra_epochs()
    {
        var evaluator = new LearningCurveEvaluator(Table(), Space, gridPoints: 2);
        var genotype = Space.Create([0, 0, 0, 0, 1e-3]);

        var low = evaluator.Evaluate(new TrialRequest(1, genotype, new Fidelity(1), Seed: 7));
        var promoted = evaluator.Evaluate(new TrialRequest(2, genotype, new Fidelity(3), Seed: 7));
        var fresh = evaluator.Evaluate(new TrialRequest(3, genotype, new Fidelity(3), Seed: 9));

        Assert.Equal(2.0, low.Seconds);
        Assert.Equal(7.0, promoted.Seconds);
        Assert.Equal(1.0, promoted.Get(LearningCurveEvaluator.ContinuedFromMetric));
        Assert.Equal(low.Get(LearningCurveEvaluator.TableSeedMetric), promoted.Get(LearningCurveEvaluator.TableSeedMetric));
        Assert.Equal(9.0, fresh.Seconds);
    }

    [Fact]
    public void A_learning_rate_between_grid_points_is_served_by_the_nearest_one()
    {
        var evaluator = new LearningCurveEvaluator(Table(), Space, gridPoints: 2);
        var near = Space.Create([0, 1, 0, 0, 1.5e-3]);
        Assert.Equal(Space.Create([0, 1, 0, 0, 1e-3]).Canonical, evaluator.TableKey(near));
        Assert.Equal(0.4, evaluator.Evaluate(new TrialRequest(1, near, new Fidelity(2), 10)).ValidationAccuracy, 6);
    }

    [Fact]
    public void Searched_hyperparameters_are_part_of_the_row_so_two_batch_sizes_are_two_rows()
    {
        var joint = new JointSpace(Space, [new LogUniformDecision("weight_decay", 1e-6, 1e-2), new CategoricalDecision("batch_size", ["128", "512"])]);
        var small = joint.Create([0, 1, 0, 0, 1e-3, 1e-6, 0]);
        var large = joint.Create([0, 1, 0, 0, 1e-3, 1e-6, 1]);
        var curves = new[] { (small, 0.5), (large, 0.9) }.Select(c => new LearningCurve(c.Item1.Canonical, 0, 100, 50,
            [1.0], [0.5], [1.0], [c.Item2], [1.0])).ToList();
        var evaluator = new LearningCurveEvaluator(new LearningCurveTable(curves), joint, gridPoints: 3);

        Assert.NotEqual(evaluator.TableKey(small), evaluator.TableKey(large));
        Assert.Equal(0.5, evaluator.Evaluate(new TrialRequest(1, small, new Fidelity(1), 3)).ValidationAccuracy, 6);
        Assert.Equal(0.9, evaluator.Evaluate(new TrialRequest(2, large, new Fidelity(1), 3)).ValidationAccuracy, 6);
    }

    [Fact]
    public void A_configuration_a_partial_table_lacks_is_served_by_its_nearest_one()
    {
        // Widths 16/32/64 (categorical) x lr 1e-3/1e-2/1e-1 (grid steps); the table holds only (16, 1e-3) and (64, 1e-1).
        var space = new MlpSpace(new MlpSpaceOptions([1], [16, 32, 64], ["relu"], [0.0], new LogUniformDecision("lr", 1e-3, 1e-1), 4, 2));
        var rows = new[] { (Width: 0, Lr: 1e-3, Accuracy: 0.1), (Width: 2, Lr: 1e-1, Accuracy: 0.3) };
        var table = new LearningCurveTable(rows.Select(r => new LearningCurve(space.Create([0, r.Width, 0, 0, r.Lr]).Canonical, 0, 10, 10,
            [1.0], [0.5], [1.0], [r.Accuracy], [1.0])));
        var evaluator = new LearningCurveEvaluator(table, space, gridPoints: 3);
        double Served(int width, double lr) => evaluator.Evaluate(new TrialRequest(1, space.Create([0, width, 0, 0, lr]), new Fidelity(1), 0)).ValidationAccuracy;

        Assert.Equal(7, evaluator.Missing);
        Assert.Equal(0.1, Served(0, 1e-2), 6); // one lr step from (16, 1e-3); a width and a step from (64, 1e-1)
        Assert.Equal(0.3, Served(2, 1e-2), 6); // one lr step from (64, 1e-1)
        Assert.Equal(0.1, Served(1, 1e-3), 6); // another width, same lr: distance 1 against 1 + 2 steps
        Assert.Equal(0.3, Served(2, 1e-1), 6); // present: served as is
        Assert.Equal(space.Create([0, 0, 0, 0, 1e-3]).Canonical, evaluator.TableKey(space.Create([0, 1, 0, 0, 1e-3])));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
