namespace NasActors.Core.Benchmarks;

/// <summary>
/// Measured inference latency (ms) of NB201 cells per device (HELP's table). The latency file is
/// keyed by the NB201 index only, so the arch table (<c>nb201_accuracy.csv</c>, which has both
/// <c>index</c> and <c>arch</c>) supplies the join from arch string to index.
/// </summary>
public sealed class LatencyTable
{
    public const string DefaultArchTable = "nb201_accuracy.csv";

    private readonly BenchmarkTable _latency;
    private readonly Dictionary<string, string> _indexByArch;

    private LatencyTable(BenchmarkTable latency, Dictionary<string, string> indexByArch)
    {
        _latency = latency;
        _indexByArch = indexByArch;
    }

    /// <summary>Device columns (everything but <c>index</c>), e.g. <c>pixel3</c>, <c>titanx_32</c>.</summary>
    public IReadOnlyList<string> Devices => _latency.Columns.Where(c => c != "index").ToArray();

    /// <param name="latencyPath">nb201_latency_ms.csv</param>
    /// <param name="archTablePath">a table with <c>index</c> and <c>arch</c>; by default nb201_accuracy.csv beside the latency file.</param>
    public static LatencyTable Load(string latencyPath, string? archTablePath = null)
    {
        archTablePath ??= DefaultArchTablePath(latencyPath);
        var arches = BenchmarkTable.Load(archTablePath, "arch");
        var indexByArch = arches.Rows.ToDictionary(r => r.Text("arch"), r => r.Text("index"), StringComparer.Ordinal);
        return new LatencyTable(BenchmarkTable.Load(latencyPath, "index"), indexByArch);
    }

    public static string DefaultArchTablePath(string latencyPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(latencyPath)) ?? ".", DefaultArchTable);

    public double Milliseconds(string arch, string device) =>
        _indexByArch.TryGetValue(arch, out var index)
            ? _latency[index].Number(device)
            : throw new KeyNotFoundException($"no latency for cell '{arch}'");
}
