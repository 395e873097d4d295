namespace NasActors.Chaos.Tests;

/// <summary>Specs for the chaos runs: the digits dataset, a small MLP space, and the execution knobs a fault needs.</summary>
public static class ChaosSpecs
{
    public static string Digits(int trials, int trainers = 2, int epochs = 3, string strategy = "evolution",
        int maxFailures = 10, string execution = "") => $"""
        name: chaos
        seed: 11
        space:
          type: mlp
          depth: [1, 2]
          widths: [16, 32, 64]
          activations: [relu, tanh]
          dropout: [0.0, 0.1]
        dataset:
          path: {RepoPaths.Digits}
        training:
          epochs: {epochs}
          batch_size: 32
        strategy:
          name: {strategy}
          {(strategy == "evolution" ? "population: 4" : "")}
        budget:
          trials: {trials}
          max_failures: {maxFailures}
        execution:
          trainers: {trainers}
          lease_seconds: 20
          snapshot_every: 7
        {Indent(execution)}
        """;

    private static string Indent(string lines) =>
        string.Join("\n", lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "  " + l.Trim()));
}
