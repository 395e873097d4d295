using System.Globalization;
using NasActors.Core.Randomness;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using NasActors.Engine.Tests.Support;

namespace NasActors.Engine.Tests.Searches;

/// <summary>
/// The cache key does not depend on the process's culture: a node running under a comma-decimal culture (de-DE)
/// must key a trial exactly as one running under the invariant culture, so equal fidelities always match.
/// </summary>
public class EvaluationCacheKeyTests
{
    [Fact]
    public void The_key_of_a_trial_at_a_data_fraction_is_the_same_under_a_comma_decimal_culture()
    {
        var space = SearchDefinition.From(TestSpecs.Mlp(4), new DatasetShape(4, 3)).Space;
        var cache = new EvaluationCache(space, cap: 10);
        var genotype = space.Sample(new SeededRandom(3));
        var trial = new TrialRecord(1, genotype.Values.ToArray(), Epochs: 4, DataFraction: 0.25, Seed: 11, Resolution: 16);

        var invariant = KeyUnder(CultureInfo.InvariantCulture, () => cache.KeyOf(trial));
        var german = KeyUnder(CommaDecimal(), () => cache.KeyOf(trial));

        Assert.Equal(invariant, german);
        Assert.EndsWith("@4/0.25/16", invariant);
    }

    // de-DE's number format, built by hand so the test does not depend on the machine's ICU data.
    private static CultureInfo CommaDecimal()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    private static string KeyUnder(CultureInfo culture, Func<string> key)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try { return key(); }
        finally { CultureInfo.CurrentCulture = previous; }
    }
}
