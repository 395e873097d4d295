using NasActors.Core.Benchmarks;

namespace NasActors.Core.Tests.Benchmarks;

/// <summary>Loads the shipped NB201 accuracy table once for all tests that need it.</summary>
public sealed class Nb201Fixture
{
    public BenchmarkTable Accuracy { get; } = BenchmarkTable.Load(RepoFiles.Data("nb201/nb201_accuracy.csv"));
}
