namespace NasActors.Core.Specs;

/// <summary>A user mistake in a spec: names the file, line and field, and what was expected.</summary>
public sealed class SpecException(string message) : Exception(message)
{
    public static SpecException At(string file, int line, string field, string problem) =>
        new(line > 0 ? $"{file}:{line}: '{field}': {problem}" : $"{file}: '{field}': {problem}");
}
