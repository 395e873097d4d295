using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Gaussian-process regression with an exponential kernel on a Hamming-type distance between
/// genotypes: k(a, b) = exp(−d(a, b) / ℓ), where d counts the categorical decisions that differ (a
/// continuous one adds the gap between its unit codings; an inactive decision on both sides adds 0).
/// Small data (a search's own results, hundreds at most): a dense Cholesky solve per fit. Targets are
/// standardised; the predictive standard deviation is in the same standardised units.
/// Deterministic: the same data give the same model.
/// </summary>
public sealed class HammingKernelRegressor
{
    private readonly SearchSpace _space;
    private readonly double _lengthScale;
    private readonly double[][] _codes;
    private readonly double[] _alpha;
    private readonly double[,] _cholesky;
    private readonly double _mean;
    private readonly double _scale;

    private HammingKernelRegressor(SearchSpace space, double lengthScale, double[][] codes, double[] alpha, double[,] cholesky, double mean, double scale) =>
        (_space, _lengthScale, _codes, _alpha, _cholesky, _mean, _scale) = (space, lengthScale, codes, alpha, cholesky, mean, scale);

    public static HammingKernelRegressor Fit(SearchSpace space, IReadOnlyList<Genotype> genotypes, IReadOnlyList<double> targets,
        double lengthScale, double noise)
    {
        var n = genotypes.Count;
        var codes = genotypes.Select(g => Code(space, g)).ToArray();
        var mean = targets.Count > 0 ? targets.Average() : 0;
        var variance = n > 1 ? targets.Sum(t => (t - mean) * (t - mean)) / (n - 1) : 1;
        var scale = variance > 1e-18 ? Math.Sqrt(variance) : 1;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j <= i; j++)
        {
            var k = Kernel(codes[i], codes[j], lengthScale) + (i == j ? noise : 0);
            var sum = k;
            for (var p = 0; p < j; p++) sum -= l[i, p] * l[j, p];
            l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j, j];
        }
        var y = targets.Select(t => (t - mean) / scale).ToArray();
        var alpha = BackSolve(l, ForwardSolve(l, y));
        return new HammingKernelRegressor(space, lengthScale, codes, alpha, l, mean, scale);
    }

    /// <summary>Predictive mean (in target units) only: O(n), no solve.</summary>
    public double Mean(Genotype genotype)
    {
        var code = Code(_space, genotype);
        double mean = 0;
        for (var i = 0; i < _codes.Length; i++) mean += Kernel(code, _codes[i], _lengthScale) * _alpha[i];
        return _mean + _scale * mean;
    }

    /// <summary>Predictive mean (in target units) and standard deviation (in target units) at <paramref name="genotype"/>.</summary>
    public (double Mean, double Std) Predict(Genotype genotype)
    {
        var code = Code(_space, genotype);
        var k = _codes.Select(c => Kernel(code, c, _lengthScale)).ToArray();
        var mean = k.Select((v, i) => v * _alpha[i]).Sum();
        var v2 = ForwardSolve(_cholesky, k);
        var variance = Math.Max(1e-12, 1 - v2.Sum(x => x * x));
        return (_mean + _scale * mean, _scale * Math.Sqrt(variance));
    }

    /// <summary>A categorical decision as its option (NaN while inactive), a continuous one as its unit position (NaN while inactive).</summary>
    private static double[] Code(SearchSpace space, Genotype g)
    {
        var code = new double[space.Decisions.Count];
        for (var i = 0; i < code.Length; i++)
            code[i] = !space.IsActive(g.Values, i) ? double.NaN
                : DecisionCoding.IsCategorical(space.Decisions[i]) ? g[i]
                : -1 - DecisionCoding.ToUnit(space.Decisions[i], g[i]); // negative: marks "continuous" for the distance
        return code;
    }

    private static double Kernel(double[] a, double[] b, double lengthScale)
    {
        double d = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (double.IsNaN(x) && double.IsNaN(y)) continue;
            if (double.IsNaN(x) || double.IsNaN(y)) d += 1;
            else if (x < 0) d += Math.Abs(x - y);
            else if (x != y) d += 1;
        }
        return Math.Exp(-d / lengthScale);
    }

    private static double[] ForwardSolve(double[,] l, double[] b)
    {
        var n = b.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var p = 0; p < i; p++) sum -= l[i, p] * x[p];
            x[i] = sum / l[i, i];
        }
        return x;
    }

    private static double[] BackSolve(double[,] l, double[] b)
    {
        var n = b.Length;
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var p = i + 1; p < n; p++) sum -= l[p, i] * x[p];
            x[i] = sum / l[i, i];
        }
        return x;
    }
}
