using System.Text.Json;
using NasActors.Core.Spaces;
using NasActors.Training.Models;
using NasActors.Training.Trials;
using TorchSharp.PyBridge;

namespace NasActors.Training.Export;

/// <summary>
/// Writes a trained candidate for use outside the search: <c>architecture.json</c> (space, canonical
/// string, decisions, parameter and FLOP counts), <c>model.pt</c> (TorchSharp's format, loadable with
/// <c>Module.load</c>) and <c>state_dict.pth</c> (a PyTorch <c>torch.save</c> state dict written by
/// TorchSharp.PyBridge, loadable with <c>torch.load</c>). Weights are loaded strictly first, so weights
/// of another architecture are refused rather than exported.
/// </summary>
public static class ModelExporter
{
    public const string ArchitectureFile = "architecture.json";
    public const string TorchSharpFile = "model.pt";
    public const string PyTorchFile = "state_dict.pth";

    public static void Export(NetworkFactory networks, Genotype genotype, string weightsPath, string folder, IReadOnlyDictionary<string, object?>? info = null)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"weights file '{weightsPath}' does not exist", weightsPath);
        Directory.CreateDirectory(folder);
        using var model = networks.Build(genotype);
        model.load(weightsPath, strict: true);
        model.eval();

        AtomicFile.Write(Path.Combine(folder, TorchSharpFile), file =>
        {
            using var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });
        AtomicFile.Write(Path.Combine(folder, PyTorchFile), file => model.save_py(file, leaveOpen: true));

        var description = new Dictionary<string, object?>
        {
            ["space"] = genotype.Space,
            ["canonical"] = genotype.Canonical,
            ["decisions"] = networks.Space.Decisions.Select((d, i) => new { name = d.Name, value = d.Format(genotype[i]) }).ToArray(),
            ["values"] = genotype.Values.ToArray(),
            ["network"] = model.GetType().Name,
            ["input_shape"] = model.InputShape,
            ["classes"] = networks.Classes,
            ["parameters"] = model.CountParameters(),
            ["flops"] = model.CountFlops(),
            ["state_dict_keys"] = model.state_dict().Keys.ToArray()
        };
        if (info is not null) foreach (var (key, value) in info) description[key] = value;
        File.WriteAllText(Path.Combine(folder, ArchitectureFile), JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));
    }
}
