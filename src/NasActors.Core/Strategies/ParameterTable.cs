using NasActors.Core.Specs;

namespace NasActors.Core.Strategies;

/// <summary>
/// A strategy's numeric parameters declared once, next to the options record they fill: each entry names
/// its spec key, its range, its help and the record property it reads and sets. From that one list come
/// the <see cref="Parameters"/> the spec reader checks a spec against (each default read from the record's
/// own defaults, so the two cannot drift apart) and <see cref="Bind"/>, which builds the record from a spec.
/// </summary>
/// <param name="defaults">the record with every property at its default: what a key the spec leaves out keeps</param>
public sealed class ParameterTable<T>(T defaults)
{
    private readonly List<Entry> _entries = [];

    /// <summary>One spec key: how it is checked and which property of <typeparamref name="T"/> holds it.</summary>
    private sealed record Entry(string Name, double Min, double Max, bool Integer, string Help, Func<T, double> Get, Func<T, double, T> Set);

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public ParameterTable<T> Int(string name, int min, int max, Func<T, int> get, Func<T, int, T> set, string help) =>
        Add(new Entry(name, min, max, true, help, o => get(o), (o, v) => set(o, (int)v)));

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public ParameterTable<T> Double(string name, double min, double max, Func<T, double> get, Func<T, double, T> set, string help) =>
        Add(new Entry(name, min, max, false, help, get, set));

    /// <summary>A switch written 0 or 1 in a spec; 1 turns it on.</summary>
    public ParameterTable<T> Flag(string name, Func<T, bool> get, Func<T, bool, T> set, string help) =>
        Add(new Entry(name, 0, 1, true, help, o => get(o) ? 1 : 0, (o, v) => set(o, (int)v == 1)));

    /// <summary>Every parameter of <paramref name="part"/>, a record that <typeparamref name="T"/> holds in one property.</summary>
    public ParameterTable<T> Include<TPart>(ParameterTable<TPart> part, Func<T, TPart> get, Func<T, TPart, T> set)
    {
        foreach (var e in part._entries)
            Add(new Entry(e.Name, e.Min, e.Max, e.Integer, e.Help, o => e.Get(get(o)), (o, v) => set(o, e.Set(get(o), v))));
        return this;
    }

    /// <summary>The keys a spec may give under <c>strategy:</c>, in declaration order, with the record's defaults.</summary>
    public IReadOnlyList<StrategyParameter> Parameters =>
        _entries.Select(e => new StrategyParameter(e.Name, e.Get(defaults), e.Min, e.Max, e.Integer, e.Help)).ToList();

    /// <summary>The record with every key the spec gives set; the others keep their defaults.</summary>
    public T Bind(StrategySpec spec) =>
        _entries.Aggregate(defaults, (options, e) => spec.Parameters.TryGetValue(e.Name, out var value) ? e.Set(options, value) : options);

    /// <summary>Each key's value in <paramref name="options"/>, as a spec would write it.</summary>
    public IReadOnlyDictionary<string, double> Values(T options) => _entries.ToDictionary(e => e.Name, e => e.Get(options));

    private ParameterTable<T> Add(Entry entry)
    {
        if (_entries.Any(e => e.Name == entry.Name))
            throw new ArgumentException($"parameter '{entry.Name}' is declared twice", nameof(entry));
        _entries.Add(entry);
        return this;
    }
}
