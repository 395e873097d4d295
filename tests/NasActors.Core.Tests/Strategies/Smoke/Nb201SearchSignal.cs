using NasActors.Core.Benchmarks;
using NasActors.Core.Spaces;

namespace NasActors.Core.Tests.Strategies.Smoke;

/// <summary>
/// The one number a search on the NB201 table may see: <c>c10valid_val_acc_12ep</c>, the published
/// protocol's search signal, as a fraction like the trainer's <c>val_accuracy</c>. Only that column is
/// copied out of the table, so no strategy run through this can reach a test or 200-epoch column.
/// </summary>
public sealed class Nb201SearchSignal
{
    public const string Column = "c10valid_val_acc_12ep";
    private readonly Dictionary<string, double> _accuracy;

    public Nb201SearchSignal(BenchmarkTable table) =>
        _accuracy = table.Rows.ToDictionary(r => r.Text("arch"), r => r.Number(Column) / 100, StringComparer.Ordinal);

    public int Count => _accuracy.Count;

    /// <summary>Validation accuracy of a cell; the genotype's canonical form is the table's arch string.</summary>
    public double Accuracy(Genotype genotype) => _accuracy[genotype.Canonical];

    /// <summary>The best signal in the table (what an oracle would find).</summary>
    public double Best => _accuracy.Values.Max();
}
