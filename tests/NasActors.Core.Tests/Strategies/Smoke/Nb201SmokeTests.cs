namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>
/// Issue 3's "done when": on the NB201 table, evolution, reinforce, predictor and bohb beat random search's
/// median best-after-100-evaluations over 30 fixed seeds. Runs are deterministic, so the margin guards
/// against regressions in the strategies rather than against noise.
/// </summary>
[Collection(Nb201SmokeCollection.Name)]
public sealed class Nb201SmokeTests(Nb201SmokeFixture smoke)
{
    /// <summary>
    /// 0.3 accuracy points. Measured medians (docs/STRATEGIES.md): random 83.806; the weakest asserted
    /// strategy, reinforce, 84.279, so 0.17 points of headroom. Random's best-of-100 already sits near the
    /// table's top 1% (83.57), so the whole room above it is about one point (best: 84.892).
    /// </summary>
    private const double Margin = 0.003;

    [Theory]
    [InlineData("evolution")]
    [InlineData("reinforce")]
    [InlineData("predictor")]
    [InlineData("bohb")]
    public void Median_best_after_100_evaluations_beats_random_by_the_margin(string strategy)
    {
        var random = smoke.Median("random");
        var median = smoke.Median(strategy);
        Assert.True(median >= random + Margin,
            $"{strategy}: median best {median * 100:0.000}% is not {Margin * 100:0.0} points above random's {random * 100:0.000}%");
    }

    [Fact]
    public void The_search_signal_is_the_12_epoch_validation_column_of_every_cell()
    {
        Assert.Equal(15_625, smoke.Signal.Count);
        // Row 0 of the table: c10valid_val_acc_12ep 63.364, while its test column reads 69.55.
        var cell = new NasActors.Core.Spaces.Nb201Space().Parse("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|");
        Assert.Equal(0.63364, smoke.Signal.Accuracy(cell), 9);
    }
}
