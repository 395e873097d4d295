using NasActors.Core.Data;
using NasActors.Core.Spaces;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Training.Models;
using NasActors.Training.ZeroCost;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NasActors.Training.Tests;

public sealed class ZeroCostTests(ITestOutputHelper output)
{
    private static readonly Nb201Space Space = new();
    private static readonly Nb201ModelOptions Small = new(new ImageShape(1, 28, 28), 10, 4, 1);
    private const string Convs = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    private const string Skips = "|skip_connect~0|+|skip_connect~0|none~1|+|none~0|skip_connect~1|none~2|";

    [Fact]
    public void Every_proxy_gives_a_finite_score_that_is_reproducible_for_a_seed()
    {
        using var evaluator = new ZeroCostEvaluator(TestData.Mnist(new Nb201SpaceSpec("nb201", false), examples: 600), "synflow", nb201: Small);
        foreach (var proxy in ZeroCostProxies.All)
        {
            var first = Score(evaluator, proxy, Convs, 7);
            var second = Score(evaluator, proxy, Convs, 7);
            output.WriteLine($"{proxy.Name}: {first}");
            Assert.True(double.IsFinite(first), $"{proxy.Name} gave {first}");
            Assert.Equal(first, second, 9);
        }
    }

    [Fact]
    public void Parameter_free_cells_score_below_convolution_cells_on_saliency_proxies()
    {
        using var evaluator = new ZeroCostEvaluator(TestData.Mnist(new Nb201SpaceSpec("nb201", false), examples: 600), "synflow", nb201: Small);
        foreach (var proxy in new IZeroCostProxy[] { new SynflowProxy(), new SnipProxy(), new GradNormProxy() })
            Assert.True(Score(evaluator, proxy, Skips, 1) < Score(evaluator, proxy, Convs, 1), proxy.Name);
    }

    [Fact]
    public void Naswot_of_a_batch_with_identical_examples_is_lower()
    {
        using var generator = new Generator(5);
        using var model = Nb201Model.Create(Space, Space.Parse(Convs), Small, generator);
        using var distinct = rand(16, 1, 28, 28);
        using var same = distinct[0].unsqueeze(0).expand(16, 1, 28, 28).contiguous();
        using var targets = zeros(16, dtype: int64);
        var proxy = new NaswotProxy();
        Assert.True(proxy.Score(model, distinct, targets) > proxy.Score(model, same, targets));
    }

    [Fact]
    public async Task Zero_cost_evaluator_reports_the_score_as_the_objective_metric()
    {
        using var evaluator = new ZeroCostEvaluator(TestData.Mnist(new Nb201SpaceSpec("nb201", false), examples: 600), "naswot", nb201: Small);
        var metrics = await evaluator.EvaluateAsync(new TrialRequest(1, Space.Parse(Convs), new Fidelity(1), 3), TestData.Context("/tmp"), CancellationToken.None);
        Assert.Equal(metrics.ValidationAccuracy, metrics.Get("zc_naswot"));
        Assert.True(metrics.Get("flops") > 0);
        Assert.Throws<ArgumentException>(() => ZeroCostProxies.Get("nope"));
    }

    [Fact]
    public void Spearman_ranks_ties_by_their_mean_and_detects_order()
    {
        Assert.Equal(new[] { 1.5, 1.5, 3 }, Spearman.Ranks([2, 2, 5]));
        Assert.Equal(1, Spearman.Correlation([1, 2, 3, 4], [10, 20, 30, 45]), 9);
        Assert.Equal(-1, Spearman.Correlation([1, 2, 3, 4], [4, 3, 2, 1]), 9);
    }

    private static double Score(ZeroCostEvaluator evaluator, IZeroCostProxy proxy, string arch, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var model = Nb201Model.Create(Space, Space.Parse(arch), Small, generator);
        var (x, y) = evaluator.Batch(model, seed, CPU);
        using (x) using (y) return proxy.Score(model, x, y);
    }
}

public sealed class ZeroCostDeadNetworkTests
{
    [Fact]
    public void A_network_whose_output_ignores_its_input_scores_lowest_on_jacov()
    {
        var space = new Nb201Space();
        using var generator = new Generator(2);
        using var model = Nb201Model.Create(space, space.Parse("|avg_pool_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|"),
            new Nb201ModelOptions(new ImageShape(1, 28, 28), 10, 4, 1), generator);
        using var x = rand(8, 1, 28, 28);
        using var y = zeros(8, dtype: int64);
        Assert.Equal(double.MinValue, new JacovProxy().Score(model, x, y));
    }
}
