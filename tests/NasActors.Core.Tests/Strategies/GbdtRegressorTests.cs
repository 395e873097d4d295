using NasActors.Core.Strategies.Predictor;

namespace NasActors.Core.Tests.Strategies;

public sealed class GbdtRegressorTests
{
    /// <summary>y = 3·[x0 > 0.5] + x2 on 60 rows; x1 is noise from a fixed generator.</summary>
    private static (float[][] X, float[] Y) Data()
    {
        var random = new Random(7);
        var x = Enumerable.Range(0, 60).Select(i => new[] { (i % 10) / 10f, (float)random.NextDouble(), (i % 3) / 2f }).ToArray();
        return (x, x.Select(r => (r[0] > 0.5f ? 3f : 0f) + r[2]).ToArray());
    }

    [Fact]
    public void Boosted_trees_fit_a_step_and_credit_the_features_that_matter()
    {
        var (x, y) = Data();
        var model = GbdtRegressor.Train(x, y, 3, new GbdtOptions());

        var predictions = model.Predict(x);
        var worst = predictions.Select((p, i) => Math.Abs(p - y[i])).Max();
        Assert.True(worst < 0.1, $"largest training error {worst:0.000}");
        Assert.True(model.FeatureGains[0] > model.FeatureGains[2] && model.FeatureGains[2] > 10 * model.FeatureGains[1],
            $"gains {string.Join(", ", model.FeatureGains)}");
        Assert.Equal(3.0 + 0.5, model.Predict([0.9f, 0.3f, 0.5f]), 1);
    }

    [Fact]
    public void The_same_rows_give_the_same_model()
    {
        var (x, y) = Data();
        var probe = Enumerable.Range(0, 20).Select(i => new[] { i / 20f, (i * 7 % 20) / 20f, (i % 2) / 1f }).ToArray();
        Assert.Equal(GbdtRegressor.Train(x, y, 3, new GbdtOptions()).Predict(probe), GbdtRegressor.Train(x, y, 3, new GbdtOptions()).Predict(probe));
    }
}
