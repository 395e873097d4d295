namespace NasActors.Core.Benchmarks;

/// <summary>
/// Which columns of a tabular benchmark play which part in a replay. The search only ever sees
/// <see cref="Signal"/> (as the validation accuracy) and <see cref="Cost"/> (as seconds); the
/// <see cref="Report"/> columns are read afterwards, for the architecture a search chose.
/// A null <see cref="Report"/> means every column ending in <see cref="ReportSuffix"/>.
/// </summary>
public sealed record TabularColumns(
    string Signal = TabularColumns.DefaultSignal,
    string Cost = TabularColumns.DefaultCost,
    IReadOnlyList<string>? Report = null)
{
    public const string DefaultSignal = "c10valid_val_acc_12ep";
    public const string DefaultCost = "c10valid_time_12ep_s";
    public const string ReportSuffix = "_test_acc_200ep";
}

/// <summary>A report column and the short name it is shown under (its prefix before the suffix).</summary>
public sealed record ReportColumn(string Column, string Name);

/// <summary>What a search may learn about an architecture: its signal and the seconds it costs.</summary>
public readonly record struct TabularOutcome(double Signal, double Cost);

/// <summary>
/// A tabular NAS benchmark (NAS-Bench-201: every cell trained and recorded) parsed once into
/// arrays, keyed by the architecture string. Generic over its columns: the signal, cost and report
/// columns are named by <see cref="TabularColumns"/>. <see cref="Evaluate"/> is the only door the
/// search goes through and it hands out signal and cost only; report values are a separate lookup.
/// </summary>
public sealed class TabularBenchmark
{
    private readonly Dictionary<string, int> _rowByArch;
    private readonly string[] _arch;
    private readonly int[] _index;
    private readonly double[] _signal;
    private readonly double[] _cost;
    private readonly double[][] _report;

    private TabularBenchmark(string path, TabularColumns columns, IReadOnlyList<ReportColumn> reports,
        string[] arch, int[] index, double[] signal, double[] cost, double[][] report)
    {
        Path = path;
        Columns = columns;
        ReportColumns = reports;
        _arch = arch;
        _index = index;
        _signal = signal;
        _cost = cost;
        _report = report;
        _rowByArch = new Dictionary<string, int>(arch.Length, StringComparer.Ordinal);
        for (var i = 0; i < arch.Length; i++) _rowByArch[arch[i]] = i;
    }

    public string Path { get; }
    public TabularColumns Columns { get; }
    public IReadOnlyList<ReportColumn> ReportColumns { get; }
    public int Count => _arch.Length;

    /// <param name="path">a CSV with an <c>arch</c> column (and <c>index</c>, else the row number is the index)</param>
    public static TabularBenchmark Load(string path, TabularColumns? columns = null)
    {
        columns ??= new TabularColumns();
        var table = BenchmarkTable.Load(path, "arch");
        foreach (var (role, name) in new[] { ("signal", columns.Signal), ("cost", columns.Cost) })
            if (!table.HasColumn(name))
                throw new FormatException($"{path}: no {role} column '{name}'; columns: {string.Join(", ", table.Columns)}");
        var reports = (columns.Report ?? table.Columns.Where(c => c.EndsWith(TabularColumns.ReportSuffix, StringComparison.Ordinal)).ToArray())
            .Select(c => table.HasColumn(c)
                ? new ReportColumn(c, ShortName(c))
                : throw new FormatException($"{path}: no report column '{c}'; columns: {string.Join(", ", table.Columns)}"))
            .ToArray();
        if (reports.Length == 0)
            throw new FormatException($"{path}: no report columns (none named, and none ends in '{TabularColumns.ReportSuffix}')");
        var rows = table.Rows.ToArray();
        var hasIndex = table.HasColumn("index");
        return new TabularBenchmark(path, columns, reports,
            rows.Select(r => r.Text("arch")).ToArray(),
            rows.Select((r, i) => hasIndex ? (int)r.Number("index") : i).ToArray(),
            rows.Select(r => r.Number(columns.Signal)).ToArray(),
            rows.Select(r => r.Number(columns.Cost)).ToArray(),
            reports.Select(c => rows.Select(r => r.Number(c.Column)).ToArray()).ToArray());
    }

    /// <summary><c>c10_test_acc_200ep</c> → <c>c10</c>; a column without the suffix keeps its name.</summary>
    public static string ShortName(string column) =>
        column.EndsWith(TabularColumns.ReportSuffix, StringComparison.Ordinal) && column.Length > TabularColumns.ReportSuffix.Length
            ? column[..^TabularColumns.ReportSuffix.Length]
            : column;

    public bool Contains(string arch) => _rowByArch.ContainsKey(arch);

    /// <summary>What evaluating <paramref name="arch"/> tells a search: signal and cost, nothing else.</summary>
    public TabularOutcome Evaluate(string arch)
    {
        var row = Row(arch);
        return new TabularOutcome(_signal[row], _cost[row]);
    }

    /// <summary>The benchmark's index of an architecture (NB201's official index).</summary>
    public int IndexOf(string arch) => _index[Row(arch)];

    /// <summary>Report values of an architecture, in <see cref="ReportColumns"/> order. Never given to a search.</summary>
    public double[] ReportOf(string arch)
    {
        var row = Row(arch);
        return _report.Select(column => column[row]).ToArray();
    }

    /// <summary>The largest value of each report column over the whole table (the benchmark's optimum).</summary>
    public double[] ReportOptimum() => _report.Select(column => column.Max()).ToArray();

    private int Row(string arch) =>
        _rowByArch.TryGetValue(arch, out var row) ? row : throw new KeyNotFoundException($"{Path}: no architecture '{arch}'");
}
