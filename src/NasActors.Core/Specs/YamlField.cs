using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace NasActors.Core.Specs;

/// <summary>
/// A mapping node of a spec with its dotted path, so every error says which file, line and
/// field was wrong and what was expected. Unknown keys are errors, never silently ignored.
/// </summary>
internal sealed class YamlField(string file, string path, YamlMappingNode node)
{
    public int Line => (int)node.Start.Line;

    public void AllowOnly(params string[] keys)
    {
        foreach (var (key, _) in node.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (!keys.Contains(name))
                throw SpecException.At(file, (int)key.Start.Line, Child(name), $"unknown key; allowed: {string.Join(", ", keys)}");
        }
    }

    public bool Has(string key) => Find(key) is not null;

    public YamlField Mapping(string key, bool required = true)
    {
        var value = Find(key);
        if (value is null)
        {
            if (required) throw Missing(key, "a mapping");
            return new YamlField(file, Child(key), new YamlMappingNode());
        }
        return value as YamlMappingNode is { } map
            ? new YamlField(file, Child(key), map)
            : throw Error(value, key, "expected a mapping (key: value lines)");
    }

    public bool Bool(string key, bool fallback)
    {
        var value = Find(key);
        if (value is null) return fallback;
        return value is YamlScalarNode { Value: "true" or "false" } s ? s.Value == "true" : throw Error(value, key, $"expected true or false, got '{Describe(value)}'");
    }

    /// <summary>A non-empty list of mappings, e.g. <c>objectives: [{metric: ..., direction: ...}, ...]</c>.</summary>
    public IReadOnlyList<YamlField> MappingList(string key)
    {
        var value = Find(key) ?? throw Missing(key, "a list of mappings");
        return Sequence(value, key).Select((n, i) => n is YamlMappingNode map
            ? new YamlField(file, $"{Child(key)}[{i}]", map)
            : throw Error(n, key, "each item must be a mapping (key: value)")).ToArray();
    }

    public string String(string key, string? fallback = null)
    {
        var value = Find(key);
        if (value is null) return fallback ?? throw Missing(key, "a text value");
        return value is YamlScalarNode { Value: { } text } ? text : throw Error(value, key, "expected a single text value");
    }

    public string Choice(string key, IEnumerable<string> allowed, string? fallback = null)
    {
        var options = allowed.ToArray();
        var text = String(key, fallback);
        return options.Contains(text) ? text : throw Error(Find(key), key, $"'{text}' is not one of: {string.Join(", ", options)}");
    }

    public double Double(string key, double? fallback, double min, double max)
    {
        var value = Find(key);
        if (value is null) return fallback ?? throw Missing(key, $"a number in [{Fmt(min)}, {Fmt(max)}]");
        return CheckRange(value, key, ParseDouble(value, key), min, max);
    }

    public int Int(string key, int? fallback, int min, int max)
    {
        var value = Find(key);
        if (value is null) return fallback ?? throw Missing(key, $"a whole number in [{min}, {max}]");
        return (int)CheckRange(value, key, ParseInt(value, key), min, max);
    }

    public long? OptionalLong(string key, long min)
    {
        var value = Find(key);
        if (value is null) return null;
        var parsed = ParseDouble(value, key);
        if (parsed != Math.Floor(parsed) || parsed < min)
            throw Error(value, key, $"expected a whole number of at least {min}, got '{((YamlScalarNode)value).Value}'");
        return (long)parsed;
    }

    /// <summary>A list of whole numbers, or an inclusive range written as <c>[low, high]</c> when <paramref name="range"/>.</summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, int min, int max)
    {
        var value = Find(key);
        if (value is null) return fallback;
        var items = Sequence(value, key).Select(n => (int)CheckRange(n, key, ParseInt(n, key), min, max)).ToArray();
        return items.Distinct().Count() == items.Length ? items : throw Error(value, key, "values must not repeat");
    }

    public IReadOnlyList<double> DoubleList(string key, IReadOnlyList<double> fallback, double min, double max)
    {
        var value = Find(key);
        if (value is null) return fallback;
        return Sequence(value, key).Select(n => CheckRange(n, key, ParseDouble(n, key), min, max)).ToArray();
    }

    /// <summary>A list of non-empty strings.</summary>
    public IReadOnlyList<string> StringList(string key)
    {
        var value = Find(key) ?? throw Missing(key, "a list of strings");
        return Sequence(value, key).Select(n => n is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw Error(n, key, "expected a non-empty string")).ToArray();
    }

    public IReadOnlyList<string> ChoiceList(string key, IReadOnlyList<string> fallback, IReadOnlyList<string> allowed)
    {
        var value = Find(key);
        if (value is null) return fallback;
        return Sequence(value, key).Select(n =>
        {
            var text = ((YamlScalarNode)n).Value ?? "";
            return allowed.Contains(text) ? text : throw Error(n, key, $"'{text}' is not one of: {string.Join(", ", allowed)}");
        }).ToArray();
    }

    public IEnumerable<(string Key, YamlNode Value)> Entries() =>
        node.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Value));

    public double ParseDouble(YamlNode value, string key) =>
        value is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Error(value, key, $"expected a number, got '{Describe(value)}'");

    public SpecException Error(YamlNode? at, string key, string problem) =>
        SpecException.At(file, at is null ? Line : (int)at.Start.Line, Child(key), problem);

    private double ParseInt(YamlNode value, string key)
    {
        var d = ParseDouble(value, key);
        return d == Math.Floor(d) ? d : throw Error(value, key, $"expected a whole number, got '{Describe(value)}'");
    }

    private double CheckRange(YamlNode at, string key, double value, double min, double max) =>
        value >= min && value <= max ? value : throw Error(at, key, $"{Fmt(value)} is out of range; expected [{Fmt(min)}, {Fmt(max)}]");

    private IEnumerable<YamlNode> Sequence(YamlNode value, string key) =>
        value is YamlSequenceNode { Children.Count: > 0 } seq ? seq.Children : throw Error(value, key, "expected a non-empty list like [a, b]");

    private SpecException Missing(string key, string expected) =>
        SpecException.At(file, Line, Child(key), $"missing; expected {expected}");

    private YamlNode? Find(string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private string Child(string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.NodeType.ToString().ToLowerInvariant();

    private static string Fmt(double d) => d.ToString(CultureInfo.InvariantCulture);
}
