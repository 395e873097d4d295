namespace NasActors.Cli;

/// <summary>
/// Command-line words after the command name: positional arguments and <c>--flag [value]</c>
/// options. Small on purpose: a handful of commands do not need a parsing framework.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CliArguments(IEnumerable<string> words, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        using var e = words.GetEnumerator();
        while (e.MoveNext())
        {
            var word = e.Current;
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                _positional.Add(word);
                continue;
            }
            var name = word[2..];
            if (flags.Contains(name)) _options[name] = null;
            else if (valued.Contains(name))
                _options[name] = e.MoveNext() ? e.Current : throw new UsageException($"option --{name} needs a value");
            else
                throw new UsageException($"unknown option --{name}; allowed: {string.Join(", ", flags.Concat(valued).Select(o => "--" + o))}");
        }
    }

    public IReadOnlyList<string> Positional => _positional;
    public bool Has(string option) => _options.ContainsKey(option);
    public string? Value(string option) => _options.GetValueOrDefault(option);

    public string Single(string what)
    {
        if (_positional.Count != 1) throw new UsageException($"expected exactly one {what}");
        return _positional[0];
    }
}

/// <summary>A mistake on the command line: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
