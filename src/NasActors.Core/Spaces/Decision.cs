using System.Globalization;
using NasActors.Core.Randomness;

namespace NasActors.Core.Spaces;

/// <summary>
/// One choice a search space makes. A genotype stores one number per decision:
/// the option index for a categorical decision, the value itself for a continuous one.
/// </summary>
public abstract record Decision(string Name)
{
    public abstract double Sample(SeededRandom random);

    /// <summary>A different value than <paramref name="current"/> (used by mutation).</summary>
    public abstract double MutateFrom(double current, SeededRandom random);

    public abstract bool IsValid(double value);

    /// <summary>Rounds a value onto the decision's grid so that equal choices print and hash equally.</summary>
    public abstract double Normalise(double value);

    public abstract string Format(double value);

    /// <summary>Number of distinct values, or null for a continuous decision.</summary>
    public abstract int? Cardinality { get; }

    /// <summary>The values one step away from <paramref name="current"/> (local search neighbourhoods).</summary>
    public abstract IEnumerable<double> Alternatives(double current);

    /// <summary>Maps a unit-interval coordinate onto the decision (continuous encodings such as differential evolution).</summary>
    public abstract double FromUnit(double unit);

    /// <summary>Inverse of <see cref="FromUnit"/>: the centre of the value's cell in [0, 1].</summary>
    public abstract double ToUnit(double value);
}

public sealed record CategoricalDecision(string Name, IReadOnlyList<string> Options) : Decision(Name)
{
    public override int? Cardinality => Options.Count;

    public override double Sample(SeededRandom random) => random.NextInt(Options.Count);

    public override double MutateFrom(double current, SeededRandom random)
    {
        if (Options.Count < 2) return current;
        var pick = random.NextInt(Options.Count - 1);
        return pick >= (int)current ? pick + 1 : pick;
    }

    public override bool IsValid(double value) => value >= 0 && value < Options.Count && value == Math.Floor(value);

    public override double Normalise(double value) => Math.Round(value);

    public override string Format(double value) => Options[(int)value];

    public override IEnumerable<double> Alternatives(double current) =>
        Enumerable.Range(0, Options.Count).Where(i => i != (int)current).Select(i => (double)i);

    public override double FromUnit(double unit) => Math.Clamp(Math.Floor(unit * Options.Count), 0, Options.Count - 1);

    public override double ToUnit(double value) => (value + 0.5) / Options.Count;

    public int IndexOf(string option)
    {
        for (var i = 0; i < Options.Count; i++)
            if (string.Equals(Options[i], option, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}

/// <summary>A real value drawn log-uniformly (learning rate, weight decay), kept to 3 significant digits.</summary>
public sealed record LogUniformDecision(string Name, double Low, double High) : Decision(Name)
{
    public override int? Cardinality => null;

    public override double Sample(SeededRandom random) =>
        Normalise(Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low))));

    public override double MutateFrom(double current, SeededRandom random)
    {
        // A step of up to half a decade in log space, reflected at the bounds.
        var logValue = Math.Log(current) + (random.NextDouble() - 0.5) * Math.Log(10);
        var lo = Math.Log(Low); var hi = Math.Log(High);
        if (logValue < lo) logValue = 2 * lo - logValue;
        if (logValue > hi) logValue = 2 * hi - logValue;
        return Normalise(Math.Exp(Math.Clamp(logValue, lo, hi)));
    }

    public override bool IsValid(double value) => value >= Low * (1 - 1e-9) && value <= High * (1 + 1e-9);

    public override double Normalise(double value) =>
        Math.Clamp(double.Parse(value.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), Low, High);

    public override string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    public override IEnumerable<double> Alternatives(double current)
    {
        var step = Math.Sqrt(10);
        foreach (var candidate in new[] { current / step, current * step })
        {
            var value = Normalise(candidate);
            if (value != current) yield return value;
        }
    }

    public override double FromUnit(double unit) =>
        Normalise(Math.Exp(Math.Log(Low) + Math.Clamp(unit, 0, 1) * (Math.Log(High) - Math.Log(Low))));

    public override double ToUnit(double value) =>
        High == Low ? 0.5 : (Math.Log(value) - Math.Log(Low)) / (Math.Log(High) - Math.Log(Low));
}
