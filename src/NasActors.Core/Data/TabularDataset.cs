using System.Globalization;
using System.IO.Compression;
using NasActors.Core.Randomness;

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
    /// Reads <paramref name="path"/>. The label column is an index, "first" or "last"; a header
    /// line is detected when its label cell is not a number. Features are scaled to [0, 1] by
    /// the largest absolute value of each column. Errors name the file and line.
    /// </summary>
    public static TabularDataset LoadCsv(string path, string labelColumn = "last")
    {
        if (!File.Exists(path))
            throw new DatasetException($"dataset file '{path}' does not exist");
        var rows = new List<float[]>();
        var labels = new List<int>();
        var lineNumber = 0;
        int? width = null;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            var labelIndex = ResolveLabelIndex(labelColumn, cells.Length, path);
            if (!int.TryParse(cells[labelIndex].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            {
                if (lineNumber == 1) continue; // header
                throw new DatasetException($"{path}:{lineNumber}: label '{cells[labelIndex]}' is not a whole number");
            }
            if (width is not null && cells.Length != width)
                throw new DatasetException($"{path}:{lineNumber}: expected {width} columns, found {cells.Length}");
            width = cells.Length;
            var features = new float[cells.Length - 1];
            for (int c = 0, f = 0; c < cells.Length; c++)
            {
                if (c == labelIndex) continue;
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out features[f++]))
                    throw new DatasetException($"{path}:{lineNumber}: column {c + 1} value '{cells[c]}' is not a number");
            }
            rows.Add(features);
            labels.Add(label);
        }
        if (rows.Count == 0) throw new DatasetException($"dataset file '{path}' has no data rows");
        if (labels.Min() < 0) throw new DatasetException($"{path}: labels must be 0 or greater");
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

    private static IEnumerable<string> ReadLines(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line) yield return line;
    }
}

public sealed class DatasetException(string message) : Exception(message);
