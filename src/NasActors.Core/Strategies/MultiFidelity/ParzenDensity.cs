using NasActors.Core.Randomness;
using NasActors.Core.Spaces;

namespace NasActors.Core.Strategies.MultiFidelity;

/// <summary>
/// Product-kernel density over genotypes, as in BOHB/TPE: an Aitchison–Aitken kernel on categorical
/// decisions (weight 1 − λ on the observed option, λ/(K−1) on each other one, λ the categorical
/// bandwidth) and a Gaussian kernel on continuous ones in their unit coding, with the normal-reference
/// bandwidth 1.06·σ·n^−1/5 (never below the minimum bandwidth).
/// </summary>
public sealed class ParzenDensity
{
    private readonly SearchSpace _space;
    private readonly double[][] _points;
    private readonly double[] _bandwidths;

    public ParzenDensity(SearchSpace space, IReadOnlyList<Genotype> observations, double categoricalBandwidth, double minBandwidth)
    {
        if (observations.Count == 0) throw new ArgumentException("a density needs at least one observation", nameof(observations));
        _space = space;
        _points = observations.Select(Encode).ToArray();
        _bandwidths = space.Decisions.Select((d, i) => d.Cardinality is { } k
                ? Math.Min(categoricalBandwidth, (k - 1.0) / k)
                : Math.Max(minBandwidth, 1.06 * StandardDeviation(_points.Select(p => p[i])) * Math.Pow(_points.Length, -0.2)))
            .ToArray();
    }

    public double[] Encode(Genotype genotype) =>
        _space.Decisions.Select((d, i) => DecisionCoding.IsCategorical(d) ? genotype[i] : DecisionCoding.ToUnit(d, genotype[i])).ToArray();

    public double Density(Genotype genotype)
    {
        var x = Encode(genotype);
        var total = 0.0;
        foreach (var point in _points)
        {
            var product = 1.0;
            for (var i = 0; i < x.Length; i++) product *= Kernel(i, point[i], x[i], _bandwidths[i]);
            total += product;
        }
        return total / _points.Length;
    }

    /// <summary>A draw from the density with every bandwidth widened by <paramref name="factor"/> (BOHB's exploration).</summary>
    public Genotype Sample(SeededRandom random, double factor)
    {
        var centre = _points[random.NextInt(_points.Length)];
        var values = new double[centre.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var decision = _space.Decisions[i];
            if (decision.Cardinality is { } k)
            {
                var keep = random.NextDouble() >= Math.Min(_bandwidths[i] * factor, (k - 1.0) / k);
                values[i] = keep || k == 1 ? centre[i] : OtherOption((int)centre[i], k, random);
            }
            else
            {
                values[i] = DecisionCoding.FromUnit(decision, TruncatedGaussian(centre[i], _bandwidths[i] * factor, random));
            }
        }
        return _space.Create(values);
    }

    private double Kernel(int decision, double centre, double x, double bandwidth)
    {
        if (_space.Decisions[decision].Cardinality is { } k)
            return k == 1 || centre == x ? 1 - bandwidth : bandwidth / (k - 1);
        var z = (x - centre) / bandwidth;
        return Math.Exp(-0.5 * z * z) / (bandwidth * Math.Sqrt(2 * Math.PI));
    }

    private static int OtherOption(int current, int options, SeededRandom random)
    {
        var pick = random.NextInt(options - 1);
        return pick >= current ? pick + 1 : pick;
    }

    private static double TruncatedGaussian(double mean, double sd, SeededRandom random)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = mean + sd * random.NextGaussian();
            if (x is >= 0 and <= 1) return x;
        }
        return Math.Clamp(mean, 0, 1);
    }

    private static double StandardDeviation(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }
}
