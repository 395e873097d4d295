using System.Collections.Immutable;
using System.Text;

namespace NasActors.Core.Spaces;

/// <summary>
/// An architecture (plus its hyperparameters) as one value per decision of its space.
/// Always built through <see cref="SearchSpace.Create"/>, so it is canonical: choices that
/// do not matter (widths of layers beyond the depth) are zeroed, and two genotypes that
/// build the same network are equal and hash equally.
/// </summary>
public sealed class Genotype : IEquatable<Genotype>
{
    internal Genotype(string space, ImmutableArray<double> values, string canonical)
    {
        Space = space;
        Values = values;
        Canonical = canonical;
        Hash = StableHash(canonical);
    }

    public string Space { get; }
    public ImmutableArray<double> Values { get; }

    /// <summary>Human-readable canonical form, e.g. <c>depth=2|w1=64|w2=128|act=relu|...</c>.</summary>
    public string Canonical { get; }

    /// <summary>FNV-1a of the canonical form: stable across processes and runs, unlike string.GetHashCode.</summary>
    public ulong Hash { get; }

    public double this[int decision] => Values[decision];

    public bool Equals(Genotype? other) => other is not null && Space == other.Space && Canonical == other.Canonical;
    public override bool Equals(object? obj) => obj is Genotype g && Equals(g);
    public override int GetHashCode() => (int)Hash;
    public override string ToString() => Canonical;

    public static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
