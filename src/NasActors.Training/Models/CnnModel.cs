using NasActors.Core.Data;
using NasActors.Core.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// The MnasNet-style network a <see cref="CnnSpace"/> genotype describes, built to the template in
/// CnnSpace's documentation: stem (conv 3×3 stride 2 → 32, BN, ReLU); per stage its repeated
/// <see cref="MbConvBlock"/>s (the first with the stage's stride); head (1×1 conv → 1280, BN, ReLU);
/// global average pool; linear classifier. Parameters and FLOPs equal the space's analytic counts.
/// </summary>
public sealed class CnnModel : CandidateNetwork
{
    private readonly Conv2d stem_conv;
    private readonly BatchNorm2d stem_bn;
    private readonly ObservedActivation stem_act;
    private readonly ModuleList<MbConvBlock> blocks;
    private readonly Conv2d head_conv;
    private readonly BatchNorm2d head_bn;
    private readonly ObservedActivation head_act;
    private readonly Linear classifier;

    private CnnModel(CnnSpace space, Genotype g) : base(nameof(CnnModel), ImageInput(ShapeOf(space.Options)))
    {
        var o = space.Options;
        stem_conv = nn.Conv2d(o.InputChannels, CnnSpace.StemChannels, 3, stride: 2, padding: 1, bias: false);
        stem_bn = nn.BatchNorm2d(CnnSpace.StemChannels);
        stem_act = ObservedActivation.Relu();
        blocks = new ModuleList<MbConvBlock>();
        long channels = CnnSpace.StemChannels;
        for (var stage = 0; stage < space.Stages; stage++)
        {
            var outChannels = space.OutputChannels(g, stage);
            for (var layer = 0; layer < space.Layers(g, stage); layer++)
            {
                var stride = layer == 0 ? o.StageStrides[stage] : 1;
                blocks.Add(new MbConvBlock(channels, outChannels, space.Kernel(g, stage), stride, space.Expansion(g, stage), space.SqueezeExcite(g, stage)));
                channels = outChannels;
            }
        }
        head_conv = nn.Conv2d(channels, CnnSpace.HeadChannels, 1, bias: false);
        head_bn = nn.BatchNorm2d(CnnSpace.HeadChannels);
        head_act = ObservedActivation.Relu();
        classifier = nn.Linear(CnnSpace.HeadChannels, o.Classes);
        RegisterComponents();
    }

    /// <summary>The space's input: square images of its resolution.</summary>
    public static ImageShape ShapeOf(CnnSpaceOptions options) => new(options.InputChannels, options.Resolution, options.Resolution);

    public static CnnModel Create(CnnSpace space, Genotype genotype, Generator generator)
    {
        var model = Build(space, genotype);
        model.Initialise(generator);
        return model;
    }

    public static CnnModel Build(CnnSpace space, Genotype genotype)
    {
        var architecture = space.Architecture(genotype);
        if (architecture.Space != CnnSpace.TypeName)
            throw new ArgumentException($"genotype of space '{genotype.Space}' cannot be built by a CNN space", nameof(genotype));
        return new CnnModel(space, architecture);
    }

    public override Tensor forward(Tensor input)
    {
        var x = stem_act.forward(stem_bn.forward(stem_conv.forward(input)));
        foreach (var block in blocks) x = block.forward(x);
        x = head_act.forward(head_bn.forward(head_conv.forward(x)));
        return classifier.forward(nn.functional.adaptive_avg_pool2d(x, 1).flatten(1));
    }

    public override long CountFlops()
    {
        var (total, height, width) = FlopCounter.Conv2d(stem_conv, (int)InputShape[1], (int)InputShape[2]);
        foreach (var block in blocks)
        {
            var (flops, h, w) = block.CountFlops(height, width);
            (total, height, width) = (total + flops, h, w);
        }
        return total + FlopCounter.Conv2d(head_conv, height, width).Flops + FlopCounter.Linear(classifier);
    }
}
