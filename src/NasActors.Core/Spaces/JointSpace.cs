using System.Globalization;

namespace NasActors.Core.Spaces;

/// <summary>
/// An architecture space searched jointly with training hyperparameters: the architecture's
/// decisions first, then one decision per hyperparameter (e.g. <c>lr</c>, <c>weight_decay</c>,
/// <c>batch_size</c>, <c>epochs</c>). Strategies see one flat space; cost models and the
/// Training builder read the architecture part through <see cref="Architecture"/>.
/// The canonical form is the architecture's, then <c>;name=value</c> per hyperparameter.
/// </summary>
public sealed class JointSpace : SearchSpace
{
    public JointSpace(SearchSpace architecture, IReadOnlyList<Decision> hyperparameters)
        : base(architecture.Name, [.. architecture.Decisions, .. hyperparameters])
    {
        var clash = hyperparameters.Select(h => h.Name).Intersect(architecture.Decisions.Select(d => d.Name)).FirstOrDefault();
        if (clash is not null) throw new ArgumentException($"hyperparameter '{clash}' is already a decision of space '{architecture.Name}'");
        Inner = architecture;
        Hyperparameters = hyperparameters;
    }

    /// <summary>The architecture space whose decisions come first.</summary>
    public SearchSpace Inner { get; }
    public IReadOnlyList<Decision> Hyperparameters { get; }

    private int ArchitectureCount => Inner.Decisions.Count;

    public override Genotype Architecture(Genotype genotype) => Inner.FromValues(genotype.Values.Take(ArchitectureCount).ToArray());

    /// <summary>
    /// A hyperparameter's value: the number itself for a continuous decision, the option parsed as a
    /// number for a categorical one (batch size 64 → 64). Null when the space does not search it.
    /// </summary>
    public double? Hyperparameter(Genotype genotype, string name)
    {
        for (var i = 0; i < Hyperparameters.Count; i++)
        {
            if (Hyperparameters[i].Name != name) continue;
            var value = genotype[ArchitectureCount + i];
            return Hyperparameters[i] is CategoricalDecision c
                ? double.Parse(c.Options[(int)value], CultureInfo.InvariantCulture)
                : value;
        }
        return null;
    }

    public override bool IsActive(IReadOnlyList<double> values, int index) =>
        index >= ArchitectureCount || Inner.IsActive(values.Take(ArchitectureCount).ToArray(), index);

    public override string Format(IReadOnlyList<double> values) =>
        Inner.Format(values.Take(ArchitectureCount).ToArray())
        + string.Concat(Hyperparameters.Select((h, i) => $";{h.Name}={h.Format(values[ArchitectureCount + i])}"));

    public override string EquivalenceKey(Genotype genotype) =>
        Inner.EquivalenceKey(Architecture(genotype))
        + string.Concat(Hyperparameters.Select((h, i) => $";{h.Name}={h.Format(genotype.Values[ArchitectureCount + i])}"));

    // The architecture part is canonicalised by its own space (inactive widths, isomorphic cells).
    protected override void Canonicalise(double[] values)
    {
        var architecture = Inner.FromValues(values.Take(ArchitectureCount).ToArray());
        architecture.Values.CopyTo(values, 0);
    }

    public override long ParameterCount(Genotype genotype) => Inner.ParameterCount(Architecture(genotype));

    public override long? FlopCount(Genotype genotype) => Inner.FlopCount(Architecture(genotype));
}
