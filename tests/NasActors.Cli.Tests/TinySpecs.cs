namespace NasActors.Cli.Tests;

public static class TinySpecs
{
    /// <summary>
    /// A small real search on digits; epochs make each trial last long enough to be killed mid-search.
    /// <paramref name="execution"/>: more lines for the execution block (e.g. "max_attempts: 3").
    /// </summary>
    public static string Digits(int trials = 12, int epochs = 40, string strategy = "evolution", int trainers = 2, string execution = "", int leaseSeconds = 20) => $"""
        name: tiny
        seed: 3
        space:
          type: mlp
          depth: [1, 2]
          widths: [32, 64, 128]
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
        execution:
          trainers: {trainers}
          lease_seconds: {leaseSeconds}
          snapshot_every: 7
          {execution}
        """;

    /// <summary>
    /// A tiny SPOS search on digits: <paramref name="rounds"/> supernet rounds of 2 batches, an evolution of
    /// <paramref name="population"/> × <paramref name="generations"/> over the trained supernet, then 2 trials retrained.
    /// <paramref name="strategy"/> and <paramref name="execution"/>: more lines for those blocks (e.g. "workers: 2").
    /// </summary>
    public static string Spos(string name, int rounds, int shards, int population, int generations, int epochs, string strategy = "", string execution = "") => $"""
        name: {name}
        seed: 5
        space:
          type: mlp
          depth: [1, 2]
          widths: [16, 32]
          activations: [relu, tanh]
          dropout: [0.0]
        dataset:
          path: {RepoPaths.Digits}
        training:
          epochs: {epochs}
          batch_size: 32
        strategy:
          name: spos
          shards: {shards}
          rounds: {rounds}
          batches_per_round: 2
          max_staleness: 100000
          population: {population}
          generations: {generations}
          parents: 2
          {strategy}
        budget:
          trials: 2
        execution:
          {execution}
        """;

    /// <summary>
    /// A tiny one-shot search over NAS-Bench-201 cells on digits (4 channels, one cell a stage, 1 epoch), whose best cell is
    /// retrained as 1 trial on 1 trainer. <paramref name="options"/>: the strategy's own lines (e.g. "steps_per_round: 2").
    /// </summary>
    public static string OneShotNb201(string name, string strategy, params string[] options) => $"""
        name: {name}
        seed: 7
        space:
          type: nb201
        dataset:
          path: {RepoPaths.Digits}
        training:
          epochs: 1
          batch_size: 32
        strategy:
          name: {strategy}
          {string.Join("\n  ", options)}
          channels: 4
          cells_per_stage: 1
        budget:
          trials: 1
        execution:
          trainers: 1
        """;

    /// <summary>A tiny search on a CSV file of one's own (for bad-data cases); <paramref name="extra"/> goes into the dataset block.</summary>
    public static string Csv(string dataPath, string extra = "") => $"""
        name: csv
        seed: 1
        space:
          type: mlp
          depth: [1]
          widths: [8]
          activations: [relu]
          dropout: [0.0]
        dataset:
          path: {dataPath}
          {extra}
        training:
          epochs: 1
          batch_size: 8
        strategy:
          name: random
        budget:
          trials: 1
        """;
}
