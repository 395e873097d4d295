using System.Globalization;
using System.IO.Compression;
using NasActors.Core.Randomness;
using nietras.SeparatedValues;

namespace NasActors.Core.Data;

/// <summary>
/// A labelled table of numeric features read from CSV (optionally gzipped). Pure C# so the
/// spec loader can learn a dataset's shape without Torch, and Training turns it into tensors.
/// </summary>
public sealed class TabularDataset
{
    private TabularDataset(float[][] features, int[] labels, int classes)
    {
        Features = features;
        Labels = labels;
        Classes = classes;
    }

    public float[][] Features { get; }
    public int[] Labels { get; }
    public int Classes { get; }
    public int Count => Labels.Length;
    public int FeatureCount => Features.Length == 0 ? 0 : Features[0].Length;

    /// <summary>
    /// Reads <paramref name="path"/> (RFC 4180: quoted fields may hold commas and quotes). The label
    /// column is an index, "first" or "last"; the first row is a header when any of its cells is not a
    /// number. Every other cell must be a finite number — an empty or NaN feature cell is refused unless
    /// <paramref name="missing"/> is <see cref="MissingCells.ImputeMean"/> — and every row as wide as the
    /// first. Errors name the file, the line (1-based) and the column. Features are scaled to [0, 1] by
    /// the largest absolute value of each column.
    /// </summary>
    public static TabularDataset LoadCsv(string path, string labelColumn = "last", string missing = MissingCells.Error)
    {
        if (!File.Exists(path))
            throw new DatasetException($"dataset file '{path}' does not exist");
        var impute = missing == MissingCells.ImputeMean;
        var rows = new List<float[]>();
        var labels = new List<int>();
        string[]? header = null;
        int? width = null, labelIndex = null;
        using var text = OpenText(path);
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            var cells = new string[row.ColCount];
            for (var c = 0; c < cells.Length; c++) cells[c] = row[c].ToString().Trim();
            if (cells is [""]) continue; // a blank line
            if (width is null && header is null && rows.Count == 0 && cells.Any(c => !IsNumber(c)))
            {
                header = cells;
                continue;
            }
            width ??= header?.Length ?? cells.Length;
            if (cells.Length != width)
                throw new DatasetException($"{path}: line {line} has {cells.Length} columns, expected {width} like {(header is null ? "the first row" : "the header")}");
            labelIndex ??= ResolveLabelIndex(labelColumn, width.Value, path);
            if (!int.TryParse(cells[labelIndex.Value], NumberStyles.Integer, CultureInfo.InvariantCulture, out var label) || label < 0)
                throw new DatasetException($"{path}: line {line}, {Column(labelIndex.Value, header)}: label '{cells[labelIndex.Value]}' is not a whole number 0 or greater");
            var features = new float[cells.Length - 1];
            for (int c = 0, f = 0; c < cells.Length; c++)
            {
                if (c == labelIndex) continue;
                var cell = cells[c];
                var isMissing = cell.Length == 0 || cell.Equals("nan", StringComparison.OrdinalIgnoreCase);
                if (isMissing && impute)
                {
                    features[f++] = float.NaN; // filled with the column mean below
                    continue;
                }
                if (isMissing)
                    throw new DatasetException($"{path}: line {line}, {Column(c, header)}: {(cell.Length == 0 ? "empty cell" : $"'{cell}'")} " +
                                               "(set dataset.missing: impute_mean to fill missing cells with the column mean)");
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new DatasetException($"{path}: line {line}, {Column(c, header)}: '{cell}' is not a number");
                if (!float.IsFinite(value))
                    throw new DatasetException($"{path}: line {line}, {Column(c, header)}: '{cell}' is not a finite number");
                features[f++] = value;
            }
            rows.Add(features);
            labels.Add(label);
        }
        if (rows.Count == 0) throw new DatasetException($"dataset file '{path}' has no data rows");
        if (impute) ImputeMeans(rows, path);
        ScaleColumns(rows);
        return new TabularDataset(rows.ToArray(), labels.ToArray(), labels.Max() + 1);
    }

    /// <summary>A dataset of rows already scaled by their reader (IDX images: pixel / 255).</summary>
    public static TabularDataset FromRows(float[][] features, int[] labels, string source)
    {
        if (features.Length != labels.Length) throw new DatasetException($"{source}: {features.Length} rows but {labels.Length} labels");
        if (labels.Length == 0) throw new DatasetException($"{source}: no examples");
        if (labels.Min() < 0) throw new DatasetException($"{source}: labels must be 0 or greater");
        return new TabularDataset(features, labels, labels.Max() + 1);
    }

    /// <summary>The first <paramref name="count"/> rows (the class count is kept).</summary>
    public TabularDataset Take(int count) => new(Features[..count], Labels[..count], Classes);

    /// <summary>Seeded shuffle into (train, validation) index sets; the same seed gives the same split.</summary>
    public (int[] Train, int[] Validation) Split(double validationFraction, long seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        var random = new SeededRandom(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var validation = Math.Max(1, (int)Math.Round(Count * validationFraction));
        return (order[validation..], order[..validation]);
    }

    private static int ResolveLabelIndex(string labelColumn, int columns, string path) => labelColumn switch
    {
        "last" => columns - 1,
        "first" => 0,
        _ when int.TryParse(labelColumn, out var i) && i >= 0 && i < columns => i,
        _ => throw new DatasetException($"{path}: label column '{labelColumn}' must be 'first', 'last' or a column index below {columns}")
    };

    private static void ScaleColumns(List<float[]> rows)
    {
        var width = rows[0].Length;
        for (var c = 0; c < width; c++)
        {
            var max = rows.Max(r => Math.Abs(r[c]));
            if (max == 0) continue;
            foreach (var r in rows) r[c] /= max;
        }
    }

    private static bool IsNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Column(int index, string[]? header) =>
        header is not null && index < header.Length && header[index].Length > 0 ? $"column {index + 1} ('{header[index]}')" : $"column {index + 1}";

    /// <summary>Missing cells (NaN here) become their column's mean; a column with no value at all cannot be imputed.</summary>
    private static void ImputeMeans(List<float[]> rows, string path)
    {
        for (var c = 0; c < rows[0].Length; c++)
        {
            var present = rows.Select(r => r[c]).Where(v => !float.IsNaN(v)).ToArray();
            if (present.Length == 0) throw new DatasetException($"{path}: feature column {c + 1} has no values to impute from");
            var mean = (float)present.Average(v => (double)v);
            foreach (var r in rows)
                if (float.IsNaN(r[c])) r[c] = mean;
        }
    }

    private static TextReader OpenText(string path)
    {
        var file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream);
    }
}

public sealed class DatasetException(string message) : Exception(message);
