namespace NasActors.Training.ZeroCost;

/// <summary>The proxies by name, as specs and the bench command name them.</summary>
public static class ZeroCostProxies
{
    public static readonly IReadOnlyList<IZeroCostProxy> All =
        [new SynflowProxy(), new GradNormProxy(), new SnipProxy(), new JacovProxy(), new NaswotProxy()];

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    public static IZeroCostProxy Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown zero-cost proxy '{name}' (expected {string.Join(", ", Names)})", nameof(name));
}
