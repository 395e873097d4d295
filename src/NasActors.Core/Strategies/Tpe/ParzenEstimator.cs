using NasActors.Core.Randomness;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Tpe;

/// <summary>
/// Optuna's univariate Parzen estimator (TPESampler with <c>multivariate=False</c>, Optuna 3.1), for one decision:
/// a mixture of one kernel per observation plus a prior kernel of weight <c>prior_weight</c>. Observations are
/// weighted by <see cref="DefaultWeights"/> in trial order (older ones less once there are more than 25).
/// A categorical decision's kernel puts 1 + w/(n+1) on the observed option and w/(n+1) on every option,
/// renormalised (w the prior weight, n the observations); the prior kernel is uniform. A continuous decision
/// lives in its unit coding (<see cref="DecisionCoding.ToUnit"/>, log scale for log-uniform ranges, as Optuna
/// takes logs): a truncated Gaussian on [0, 1] per observation, whose σ is the larger gap to its sorted
/// neighbours (the prior's centre and the range ends included, the outermost ones using their inner gap),
/// clipped to [1/min(100, 1 + kernels), 1] ("magic clip"); the prior kernel is N(0.5, 1) truncated.
/// This is a different estimator from BOHB's <see cref="MultiFidelity.ParzenDensity"/>, a multivariate
/// product-kernel KDE with the normal-reference bandwidth, and each follows its own paper.
/// </summary>
public sealed class ParzenEstimator
{
    private readonly int? _options;
    private readonly double[] _weights;
    private readonly double[][]? _categorical;
    private readonly double[]? _mus;
    private readonly double[]? _sigmas;

    /// <param name="decision">the decision the estimator models</param>
    /// <param name="observations">option indices, or unit-coded values, in trial order</param>
    /// <param name="priorWeight">weight of the prior kernel (Optuna's <c>prior_weight</c>, 1)</param>
    public ParzenEstimator(Decision decision, IReadOnlyList<double> observations, double priorWeight)
    {
        _options = decision.Cardinality;
        var n = observations.Count;
        var w = DefaultWeights(n).Append(priorWeight).ToArray();
        var total = w.Sum();
        _weights = w.Select(x => x / total).ToArray();
        if (_options is { } k)
        {
            var fill = priorWeight / (n + 1);
            _categorical = new double[n + 1][];
            for (var j = 0; j <= n; j++)
            {
                var row = Enumerable.Repeat(fill, k).ToArray();
                if (j < n) row[(int)observations[j]] += 1;
                var sum = row.Sum();
                _categorical[j] = row.Select(p => p / sum).ToArray();
            }
        }
        else
        {
            _mus = observations.Append(0.5).ToArray();
            _sigmas = NeighbourGaps(_mus);
            var minSigma = 1.0 / Math.Min(100.0, 1.0 + _mus.Length);
            for (var j = 0; j < n; j++) _sigmas[j] = Math.Clamp(_sigmas[j], minSigma, 1.0);
            _sigmas[n] = 1.0;
        }
    }

    /// <summary>Optuna's <c>default_weights</c>: ones up to 25 observations, then a linear ramp from 1/n for all but the newest 25.</summary>
    public static double[] DefaultWeights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        var ramp = n - 25;
        return Enumerable.Range(0, ramp).Select(i => ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1))
            .Concat(Enumerable.Repeat(1.0, 25)).ToArray();
    }

    /// <summary>A draw: pick a kernel by its weight, then a value from it (an option index or a unit-coded value).</summary>
    public double Sample(SeededRandom random)
    {
        var kernel = Categorical.Sample(_weights, random);
        if (_categorical is not null) return Categorical.Sample(_categorical[kernel], random);
        return TruncatedGaussian(_mus![kernel], _sigmas![kernel], random);
    }

    public double LogPdf(double x)
    {
        var terms = new double[_weights.Length];
        for (var j = 0; j < terms.Length; j++)
            terms[j] = Math.Log(_weights[j]) + (_categorical is not null
                ? Math.Log(_categorical[j][(int)x])
                : TruncatedNormalLogPdf(x, _mus![j], _sigmas![j]));
        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>σ of each centre: the larger gap to its sorted neighbours, with 0 and 1 as outer neighbours; the first and last use their inner gap (Optuna's consider_endpoints=False).</summary>
    private static double[] NeighbourGaps(double[] mus)
    {
        var order = Enumerable.Range(0, mus.Length).OrderBy(i => mus[i]).ToArray();
        var withEnds = new double[mus.Length + 2];
        withEnds[0] = 0;
        withEnds[^1] = 1;
        for (var i = 0; i < order.Length; i++) withEnds[i + 1] = mus[order[i]];
        var sorted = new double[mus.Length];
        for (var i = 0; i < sorted.Length; i++)
            sorted[i] = Math.Max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        if (withEnds.Length >= 4)
        {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[^1] = withEnds[^2] - withEnds[^3];
        }
        var sigmas = new double[mus.Length];
        for (var i = 0; i < order.Length; i++) sigmas[order[i]] = sorted[i];
        return sigmas;
    }

    private static double TruncatedNormalLogPdf(double x, double mu, double sigma)
    {
        var z = (x - mu) / sigma;
        var mass = NormalCdf((1 - mu) / sigma) - NormalCdf((0 - mu) / sigma);
        return -0.5 * z * z - Math.Log(sigma * Math.Sqrt(2 * Math.PI)) - Math.Log(Math.Max(mass, 1e-300));
    }

    private static double TruncatedGaussian(double mu, double sigma, SeededRandom random)
    {
        // The mass on [0, 1] is at least Φ(1) − Φ(0) ≈ 0.34 (μ in [0, 1], σ ≤ 1), so rejection ends quickly.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var x = mu + sigma * random.NextGaussian();
            if (x is >= 0 and <= 1) return x;
        }
        return Math.Clamp(mu, 0, 1);
    }

    /// <summary>Φ through the complementary error function (Numerical Recipes' erfc, relative error below 1.2e-7).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
