using System.Globalization;

namespace NasActors.Core.Benchmarks;

/// <summary>
/// A tabular benchmark read from CSV: one row per architecture, keyed by one column (the NB201
/// <c>arch</c> string, or <c>index</c>), every other column reachable by its header name. Column
/// names are read from the header, so the same loader serves any table a replay needs.
/// The files hold plain unquoted values (commas never occur inside a field).
/// </summary>
public sealed class BenchmarkTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly Dictionary<string, BenchmarkRow> _rows;

    private BenchmarkTable(string path, string[] header, Dictionary<string, BenchmarkRow> rows)
    {
        Path = path;
        Columns = header;
        _columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        _rows = rows;
    }

    public string Path { get; }
    public IReadOnlyList<string> Columns { get; }
    public int Count => _rows.Count;
    public IEnumerable<BenchmarkRow> Rows => _rows.Values;

    public static BenchmarkTable Load(string path, string keyColumn = "arch")
    {
        using var reader = new StreamReader(path);
        var header = ReadHeader(reader.ReadLine(), path);
        var key = Array.IndexOf(header, keyColumn);
        if (key < 0) throw new FormatException($"{path}: no '{keyColumn}' column; columns: {string.Join(", ", header)}");
        var columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var rows = new Dictionary<string, BenchmarkRow>(StringComparer.Ordinal);
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != header.Length)
                throw new FormatException($"{path}:{line}: {cells.Length} fields, the header has {header.Length}");
            if (!rows.TryAdd(cells[key], new BenchmarkRow(cells, columns)))
                throw new FormatException($"{path}:{line}: '{cells[key]}' appears twice in column '{keyColumn}'");
        }
        return new BenchmarkTable(path, header, rows);
    }

    /// <summary>The header of a table without loading it (specs validate column names this way).</summary>
    public static IReadOnlyList<string> ReadColumns(string path)
    {
        using var reader = new StreamReader(path);
        return ReadHeader(reader.ReadLine(), path);
    }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    public bool TryGet(string key, out BenchmarkRow row) => _rows.TryGetValue(key, out row!);

    public BenchmarkRow this[string key] =>
        _rows.TryGetValue(key, out var row) ? row : throw new KeyNotFoundException($"{Path}: no row '{key}'");

    private static string[] ReadHeader(string? line, string path) =>
        string.IsNullOrWhiteSpace(line) ? throw new FormatException($"{path}: empty file, expected a header line") : line.Split(',');
}

/// <summary>One row of a <see cref="BenchmarkTable"/>; cells are parsed on demand.</summary>
public sealed class BenchmarkRow(string[] cells, IReadOnlyDictionary<string, int> columns)
{
    public string Text(string column) => cells[Index(column)];

    public double Number(string column) =>
        double.Parse(cells[Index(column)], NumberStyles.Float, CultureInfo.InvariantCulture);

    private int Index(string column) =>
        columns.TryGetValue(column, out var i) ? i : throw new KeyNotFoundException($"no column '{column}'; columns: {string.Join(", ", columns.Keys)}");
}
