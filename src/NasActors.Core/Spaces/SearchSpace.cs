using System.Collections.Immutable;
using NasActors.Core.Randomness;

namespace NasActors.Core.Spaces;

/// <summary>
/// A set of decisions plus the rules that make a genotype canonical and the analytic
/// cost model (parameters) of the network it describes. Sample and mutate only ever
/// produce valid, canonical genotypes.
/// </summary>
public abstract class SearchSpace
{
    protected SearchSpace(string name, IReadOnlyList<Decision> decisions)
    {
        Name = name;
        Decisions = decisions;
    }

    public string Name { get; }
    public IReadOnlyList<Decision> Decisions { get; }

    public int IndexOf(string decisionName)
    {
        for (var i = 0; i < Decisions.Count; i++)
            if (Decisions[i].Name == decisionName) return i;
        throw new ArgumentException($"space '{Name}' has no decision '{decisionName}'");
    }

    /// <summary>Whether decision <paramref name="index"/> affects the network given the other choices.</summary>
    public virtual bool IsActive(IReadOnlyList<double> values, int index) => true;

    /// <summary>Trainable parameters of the described network, computed without building it.</summary>
    public abstract long ParameterCount(Genotype genotype);

    public Genotype Create(IEnumerable<double> rawValues)
    {
        var values = rawValues.ToArray();
        if (values.Length != Decisions.Count)
            throw new ArgumentException($"space '{Name}' has {Decisions.Count} decisions, got {values.Length} values");
        for (var i = 0; i < values.Length; i++)
        {
            if (!Decisions[i].IsValid(values[i]))
                throw new ArgumentException($"value {values[i]} is not valid for decision '{Decisions[i].Name}' of space '{Name}'");
            values[i] = Decisions[i].Normalise(values[i]);
        }
        for (var i = 0; i < values.Length; i++)
            if (!IsActive(values, i)) values[i] = Decisions[i].Normalise(InactiveValue(i));
        var canonical = string.Join("|", Enumerable.Range(0, values.Length)
            .Where(i => IsActive(values, i))
            .Select(i => $"{Decisions[i].Name}={Decisions[i].Format(values[i])}"));
        return new Genotype(Name, values.ToImmutableArray(), canonical);
    }

    public Genotype Sample(SeededRandom random) => Create(Decisions.Select(d => d.Sample(random)).ToArray());

    /// <summary>Changes exactly one decision that matters, so the child always differs from its parent.</summary>
    public Genotype Mutate(Genotype parent, SeededRandom random)
    {
        var values = parent.Values.ToArray();
        var active = Enumerable.Range(0, values.Length).Where(i => IsActive(values, i)).ToArray();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var index = active[random.NextInt(active.Length)];
            var copy = (double[])values.Clone();
            copy[index] = Decisions[index].MutateFrom(values[index], random);
            var child = Create(copy);
            if (!child.Equals(parent)) return child;
        }
        return Sample(random);
    }

    /// <summary>Rebuilds a genotype from stored values (snapshots, events), checking it against this space.</summary>
    public Genotype FromValues(IReadOnlyList<double> values) => Create(values);

    /// <summary>Value a decision takes while it does not matter (first option / lower bound).</summary>
    protected virtual double InactiveValue(int index) => Decisions[index] is LogUniformDecision l ? l.Low : 0;
}
