using System.Globalization;

namespace NasActors.Core.Spaces;

/// <summary>
/// Reads a genotype back from its canonical text (what ledgers, results tables and best.json
/// store): NAS-Bench-201 strings, <c>name=value|...</c> of the other spaces, and a joint space's
/// <c>;name=value</c> hyperparameters. Decisions the text leaves out are inactive ones.
/// The result must print as the text again, so a stale or foreign string is refused.
/// </summary>
public static class CanonicalParser
{
    public static Genotype Parse(SearchSpace space, string text)
    {
        var values = new double[space.Decisions.Count];
        var parts = text.Split(';');
        var architectureText = parts[0];
        if (space is JointSpace joint)
        {
            var inner = Parse(joint.Inner, architectureText);
            inner.Values.CopyTo(values, 0);
            foreach (var part in parts.Skip(1)) Assign(space, values, part);
        }
        else if (space is Nb201Space nb201)
        {
            nb201.Parse(architectureText).Values.CopyTo(values, 0);
        }
        else
        {
            foreach (var part in architectureText.Split('|', StringSplitOptions.RemoveEmptyEntries)) Assign(space, values, part);
        }
        var genotype = space.Create(values);
        return genotype.Canonical == text
            ? genotype
            : throw new FormatException($"'{text}' is not a canonical genotype of space '{space.Name}' (it reads back as '{genotype.Canonical}')");
    }

    private static void Assign(SearchSpace space, double[] values, string pair)
    {
        var equals = pair.IndexOf('=');
        if (equals < 0) throw new FormatException($"'{pair}' is not name=value");
        var index = space.IndexOf(pair[..equals]);
        var text = pair[(equals + 1)..];
        values[index] = space.Decisions[index] switch
        {
            CategoricalDecision c when c.IndexOf(text) is var i and >= 0 => i,
            CategoricalDecision c => throw new FormatException($"'{text}' is not an option of '{c.Name}' ({string.Join(", ", c.Options)})"),
            _ => double.Parse(text, CultureInfo.InvariantCulture)
        };
    }
}
