using NasActors.Core.Data;
using NasActors.Core.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// The NAS-Bench-201 network around one cell (the benchmark's <c>TinyNetwork</c>): stem conv 3×3
/// (input → C, no bias) + BN; three stages of N cells at C, 2C and 4C channels with a
/// <see cref="ResidualReductionBlock"/> between stages; BN + ReLU; global average pool; linear
/// classifier. With C = 16, N = 5, 3 input channels and 10 classes its parameters are the
/// benchmark's <c>c10_params_M</c>.
/// </summary>
public sealed class Nb201Model : CandidateNetwork
{
    private readonly Conv2d stem_conv;
    private readonly BatchNorm2d stem_bn;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> cells;
    private readonly BatchNorm2d last_bn;
    private readonly ObservedActivation last_act;
    private readonly Linear classifier;

    private Nb201Model(IReadOnlyList<string> operations, Nb201ModelOptions options)
        : base(nameof(Nb201Model), ImageInput(options.Input))
    {
        var c = options.Channels;
        stem_conv = nn.Conv2d(options.Input.Channels, c, 3, padding: 1, bias: false);
        stem_bn = nn.BatchNorm2d(c);
        cells = new ModuleList<nn.Module<Tensor, Tensor>>();
        long channels = c;
        for (var stage = 0; stage < 3; stage++)
        {
            if (stage > 0)
            {
                cells.Add(new ResidualReductionBlock(channels, channels * 2));
                channels *= 2;
            }
            for (var cell = 0; cell < options.CellsPerStage; cell++) cells.Add(new Nb201Cell(operations, channels));
        }
        last_bn = nn.BatchNorm2d(channels);
        last_act = ObservedActivation.Relu();
        classifier = nn.Linear(channels, options.Classes);
        RegisterComponents();
    }

    public static Nb201Model Create(Nb201Space space, Genotype genotype, Nb201ModelOptions options, Generator generator)
    {
        var model = Build(space, genotype, options);
        model.Initialise(generator);
        return model;
    }

    /// <summary>Builds the network without initialising it (its weights are about to be loaded).</summary>
    public static Nb201Model Build(Nb201Space space, Genotype genotype, Nb201ModelOptions options)
    {
        var architecture = space.Architecture(genotype);
        if (architecture.Space != Nb201Space.TypeName)
            throw new ArgumentException($"genotype of space '{genotype.Space}' is not a NAS-Bench-201 cell", nameof(genotype));
        return new Nb201Model(Enumerable.Range(0, Nb201Space.Edges).Select(e => space.Operation(architecture, e)).ToArray(), options);
    }

    public override Tensor forward(Tensor input)
    {
        var x = stem_bn.forward(stem_conv.forward(input));
        foreach (var cell in cells) x = cell.forward(x);
        x = last_act.forward(last_bn.forward(x));
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return classifier.forward(x);
    }

    public override long CountFlops()
    {
        var (total, height, width) = FlopCounter.Conv2d(stem_conv, (int)InputShape[1], (int)InputShape[2]);
        foreach (var module in cells)
        {
            switch (module)
            {
                case Nb201Cell cell:
                    total += cell.CountFlops(height, width);
                    break;
                case ResidualReductionBlock block:
                    var (flops, h, w) = block.CountFlops(height, width);
                    (total, height, width) = (total + flops, h, w);
                    break;
            }
        }
        return total + FlopCounter.Linear(classifier);
    }
}

/// <summary>Size of an <see cref="Nb201Model"/>: the benchmark uses C = 16, N = 5 on 3×32×32 images.</summary>
public sealed record Nb201ModelOptions(ImageShape Input, int Classes, int Channels = 16, int CellsPerStage = 5);
