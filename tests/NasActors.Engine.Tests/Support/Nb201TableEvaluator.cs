using NasActors.Core.Benchmarks;
using NasActors.Core.Specs;
using NasActors.Core.Trials;
using NasActors.Engine.Trainers;

namespace NasActors.Engine.Tests.Support;

/// <summary>Looks a NAS-Bench-201 cell up in the shipped table (CIFAR-10 validation accuracy after 12 epochs): no training.</summary>
public sealed class Nb201TableEvaluator : ITrialEvaluator, IEvaluatorProvider
{
    private static readonly Lazy<BenchmarkTable> Table = new(() => BenchmarkTable.Load(Path.Combine(RepoRoot(), "data", "nb201", "nb201_accuracy.csv")));

    public ITrialEvaluator For(SearchDefinition definition) => this;

    public Task<TrialMetrics> EvaluateAsync(TrialRequest trial, TrialContext context, CancellationToken cancellationToken)
    {
        var row = Table.Value[trial.Genotype.Canonical];
        return Task.FromResult(new TrialMetrics(row.Number("c10valid_val_acc_12ep") / 100, 0, (long)(row.Number("c10_params_M") * 1e6), 0));
    }

    public static double BestAccuracy => Table.Value.Rows.Max(r => r.Number("c10valid_val_acc_12ep")) / 100;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NasActors.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (NasActors.sln) not found above the test binaries");
    }
}
