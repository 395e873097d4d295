using NasActors.Core.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// The network an <see cref="MlpSpace"/> genotype describes: per hidden layer
/// Linear → activation → Dropout (when p &gt; 0), then a Linear to the classes.
/// State-dict keys are <c>layers.fc{k}.weight</c>, <c>layers.fc{k}.bias</c>, <c>layers.out.*</c>.
/// </summary>
public sealed class MlpModel : CandidateNetwork
{
    private readonly Sequential layers;

    private MlpModel(IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> modules, int inputs) : base(nameof(MlpModel), [inputs])
    {
        layers = nn.Sequential(modules.Select(m => (m.Name, m.Module)));
        RegisterComponents();
    }

    /// <summary>Builds the network and initialises it from <paramref name="generator"/> (see <see cref="CandidateNetwork.Initialise"/>).</summary>
    public static MlpModel Create(MlpSpace space, Genotype genotype, Generator generator)
    {
        var model = Build(space, genotype);
        model.Initialise(generator);
        return model;
    }

    /// <summary>Builds the network for <paramref name="genotype"/> and loads weights saved by <see cref="Module.save(string, IList{string}?)"/>.</summary>
    public static MlpModel Load(MlpSpace space, Genotype genotype, string path)
    {
        var model = Build(space, genotype);
        try
        {
            // strict: every key and shape must match, so weights of another genotype are refused.
            model.load(path, strict: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    public override Tensor forward(Tensor input) => layers.forward(input);

    public override long CountFlops() => layers.modules().OfType<Linear>().Sum(FlopCounter.Linear);

    /// <summary>Builds the network without initialising it.</summary>
    public static MlpModel Build(MlpSpace space, Genotype genotype)
    {
        if (genotype.Space != space.Name)
            throw new ArgumentException($"genotype of space '{genotype.Space}' cannot be built by space '{space.Name}'", nameof(genotype));
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var dropout = space.Dropout(genotype);
        long inputs = space.Options.InputFeatures;
        for (var layer = 1; layer <= space.Depth(genotype); layer++)
        {
            var width = space.Width(genotype, layer - 1);
            modules.Add(($"fc{layer}", nn.Linear(inputs, width)));
            modules.Add(($"act{layer}", new ObservedActivation(Activation(space.Activation(genotype)))));
            if (dropout > 0) modules.Add(($"drop{layer}", nn.Dropout(dropout)));
            inputs = width;
        }
        modules.Add(("out", nn.Linear(inputs, space.Options.Classes)));
        return new MlpModel(modules, space.Options.InputFeatures);
    }

    private static nn.Module<Tensor, Tensor> Activation(string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "gelu" => nn.GELU(),
        "tanh" => nn.Tanh(),
        "sigmoid" => nn.Sigmoid(),
        "silu" => nn.SiLU(),
        _ => throw new ArgumentException($"unknown activation '{name}' (expected relu, gelu, tanh, sigmoid or silu)", nameof(name))
    };
}
