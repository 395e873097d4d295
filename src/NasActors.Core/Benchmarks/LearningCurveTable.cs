using System.Globalization;
using System.IO.Compression;

namespace NasActors.Core.Benchmarks;

/// <summary>One training run of one configuration with one seed: a value per epoch (index 0 is epoch 1).</summary>
public sealed record LearningCurve(
    string Architecture, int Seed, long Parameters, long Flops,
    double[] TrainLoss, double[] TrainAccuracy, double[] ValidationLoss, double[] ValidationAccuracy, double[] EpochSeconds)
{
    public int Epochs => ValidationAccuracy.Length;

    /// <summary>Training seconds of epochs 1..<paramref name="epochs"/>.</summary>
    public double SecondsUpTo(int epochs) => EpochSeconds.Take(epochs).Sum();
}

/// <summary>
/// A multi-fidelity tabular benchmark (HPOBench's tabular MLP benchmarks are the model): every
/// configuration of a grid trained with several seeds, each run's learning curve recorded per epoch.
/// Stored long and flat, one row per (architecture, seed, epoch), as CSV (gzip when the path ends in
/// <c>.gz</c>): <c>arch,seed,epoch,params,flops,train_loss,train_accuracy,val_loss,val_accuracy,epoch_seconds</c>.
/// A configuration is kept only with complete curves for every seed it has (a table built part-way
/// holds whole configurations).
/// </summary>
public sealed class LearningCurveTable
{
    public static readonly string[] Header =
        ["arch", "seed", "epoch", "params", "flops", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "epoch_seconds"];

    private readonly Dictionary<string, LearningCurve[]> _curves;

    public LearningCurveTable(IEnumerable<LearningCurve> curves)
    {
        _curves = curves.GroupBy(c => c.Architecture, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.Seed).ToArray(), StringComparer.Ordinal);
        Architectures = _curves.Keys.Order(StringComparer.Ordinal).ToArray();
        Epochs = _curves.Count == 0 ? 0 : _curves.Values.SelectMany(c => c).Min(c => c.Epochs);
    }

    public IReadOnlyList<string> Architectures { get; }

    /// <summary>Epochs every curve of the table reaches: the highest fidelity the table serves.</summary>
    public int Epochs { get; }

    public int Count => _curves.Count;

    public bool Contains(string arch) => _curves.ContainsKey(arch);

    /// <summary>The runs of <paramref name="arch"/>, one per seed, in seed order.</summary>
    public IReadOnlyList<LearningCurve> Curves(string arch) =>
        _curves.TryGetValue(arch, out var curves) ? curves : throw new KeyNotFoundException($"no architecture '{arch}' in the table");

    public IEnumerable<LearningCurve> All => Architectures.SelectMany(a => _curves[a]);

    public static LearningCurveTable Load(string path)
    {
        using var reader = new StreamReader(Open(path));
        var header = reader.ReadLine();
        if (header != string.Join(',', Header))
            throw new FormatException($"{path}:1: expected the header '{string.Join(',', Header)}', found '{header}'");
        var rows = new Dictionary<(string Arch, int Seed), List<double[]>>();
        var sizes = new Dictionary<(string, int), (long Params, long Flops)>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var cells = text.Split(',');
            if (cells.Length != Header.Length)
                throw new FormatException($"{path}:{line}: {cells.Length} fields, the header has {Header.Length}");
            try
            {
                var key = (cells[0], int.Parse(cells[1], CultureInfo.InvariantCulture));
                var epoch = int.Parse(cells[2], CultureInfo.InvariantCulture);
                if (!rows.TryGetValue(key, out var epochs)) rows[key] = epochs = [];
                if (epoch != epochs.Count + 1)
                    throw new FormatException($"epoch {epoch} follows epoch {epochs.Count} of '{key.Item1}' seed {key.Item2}; rows of a run must be consecutive epochs from 1");
                sizes[key] = (long.Parse(cells[3], CultureInfo.InvariantCulture), long.Parse(cells[4], CultureInfo.InvariantCulture));
                epochs.Add(cells.Skip(5).Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray());
            }
            catch (FormatException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
            {
                throw new FormatException($"{path}:{line}: {e.Message}");
            }
        }
        return new LearningCurveTable(rows.Select(kv =>
        {
            double[] Column(int i) => kv.Value.Select(r => r[i]).ToArray();
            var (parameters, flops) = sizes[kv.Key];
            return new LearningCurve(kv.Key.Arch, kv.Key.Seed, parameters, flops, Column(0), Column(1), Column(2), Column(3), Column(4));
        }));
    }

    /// <summary>Writes the table through a temporary file and a rename, so a reader never sees half a table.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.SmallestSize) : (Stream)file)
        using (var writer = new StreamWriter(stream) { NewLine = "\n" })
        {
            writer.WriteLine(string.Join(',', Header));
            foreach (var c in All)
                for (var e = 0; e < c.Epochs; e++)
                    writer.WriteLine(string.Join(',',
                        c.Architecture, Number(c.Seed), Number(e + 1), Number(c.Parameters), Number(c.Flops),
                        Number(c.TrainLoss[e]), Number(c.TrainAccuracy[e]), Number(c.ValidationLoss[e]), Number(c.ValidationAccuracy[e]),
                        Number(c.EpochSeconds[e])));
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Five significant digits: the table's noise is far larger, and the file stays small.</summary>
    private static string Number(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
