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

    /// <summary>Multiply-accumulates of one forward pass of one example, or null where the space cannot tell.</summary>
    public virtual long? FlopCount(Genotype genotype) => null;

    /// <summary>The architecture part of a genotype (itself, unless the space adds hyperparameters).</summary>
    public virtual Genotype Architecture(Genotype genotype) => genotype;

    /// <summary>
    /// Text equal for two genotypes exactly when they compute the same network, so one evaluation stands for both (the
    /// evaluation cache, <c>budget.cache</c>). Default: the canonical text; a space that knows more equivalences than it
    /// merges into one canonical form (NB201's isomorphic cells) overrides it.
    /// </summary>
    public virtual string EquivalenceKey(Genotype genotype) => genotype.Canonical;

    /// <summary>
    /// The canonical text of already-normalised values. Default: <c>name=value</c> of every active
    /// decision joined by '|'; spaces with a community format (NAS-Bench-201 strings) override it.
    /// </summary>
    public virtual string Format(IReadOnlyList<double> values) =>
        string.Join("|", Enumerable.Range(0, values.Count)
            .Where(i => IsActive(values, i))
            .Select(i => $"{Decisions[i].Name}={Decisions[i].Format(values[i])}"));

    /// <summary>
    /// Rewrites valid, normalised values to the one representative of all values that build the
    /// same network (e.g. isomorphic cells). Default: only inactive decisions are reset.
    /// </summary>
    protected virtual void Canonicalise(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
            if (!IsActive(values, i)) values[i] = Decisions[i].Normalise(InactiveValue(i));
    }

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
        Canonicalise(values);
        return new Genotype(Name, values.ToImmutableArray(), Format(values));
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

    /// <summary>
    /// Every genotype one decision away (each other option of each active categorical decision; a
    /// half-decade step either way for a log-uniform one), distinct and different from <paramref name="genotype"/>.
    /// </summary>
    public IReadOnlyList<Genotype> Neighbours(Genotype genotype)
    {
        var values = genotype.Values.ToArray();
        var seen = new HashSet<Genotype> { genotype };
        var result = new List<Genotype>();
        for (var i = 0; i < values.Length; i++)
        {
            if (!IsActive(values, i)) continue;
            foreach (var option in Decisions[i].Alternatives(values[i]))
            {
                var copy = (double[])values.Clone();
                copy[i] = option;
                var neighbour = Create(copy);
                if (seen.Add(neighbour)) result.Add(neighbour);
            }
        }
        return result;
    }

    /// <summary>Uniform crossover: each decision from either parent with equal chance.</summary>
    public Genotype Crossover(Genotype a, Genotype b, SeededRandom random) =>
        Create(a.Values.Select((v, i) => random.NextDouble() < 0.5 ? v : b[i]).ToArray());

    /// <summary>
    /// Shortest-edit-path crossover (Qiu et al. 2023): the child lies halfway along the shortest
    /// edit path from <paramref name="a"/> to <paramref name="b"/>: of the decisions on which they
    /// differ, a random half takes <paramref name="b"/>'s value. For cell spaces with one decision
    /// per edge (NAS-Bench-201) an edit is one edge's operation, so this is the graph edit path.
    /// </summary>
    public Genotype EditPathCrossover(Genotype a, Genotype b, SeededRandom random)
    {
        var differing = Enumerable.Range(0, a.Values.Length).Where(i => a[i] != b[i]).ToList();
        var values = a.Values.ToArray();
        for (var take = differing.Count / 2; take > 0; take--)
        {
            var pick = random.NextInt(differing.Count);
            values[differing[pick]] = b[differing[pick]];
            differing.RemoveAt(pick);
        }
        return Create(values);
    }

    /// <summary>Rebuilds a genotype from stored values (snapshots, events), checking it against this space.</summary>
    public Genotype FromValues(IReadOnlyList<double> values) => Create(values);

    /// <summary>Value a decision takes while it does not matter (first option / lower bound).</summary>
    protected virtual double InactiveValue(int index) => Decisions[index] is LogUniformDecision l ? l.Low : 0;
}
