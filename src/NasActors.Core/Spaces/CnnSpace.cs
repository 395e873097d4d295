using System.Globalization;

namespace NasActors.Core.Spaces;

/// <summary>
/// MnasNet's factorised hierarchical macro space (Tan et al., CVPR 2019): the network is a
/// sequence of stages, and each stage picks its own block and repeats it.
/// Decisions per stage i (1-based): <c>s{i}.layers</c> {1..4}, <c>s{i}.kernel</c> {3, 5},
/// <c>s{i}.expand</c> {1, 3, 6}, <c>s{i}.se</c> {off, on}, <c>s{i}.width</c> {0.5, 0.75, 1.0, 1.25}.
///
/// The network template (the Training builder must match it exactly; the counts below follow it):
/// <list type="number">
/// <item>Stem: conv 3×3, stride 2, input channels → 32, no bias; BN; ReLU.</item>
/// <item>Stage i: base channels and stride from <see cref="CnnSpaceOptions.StageChannels"/> /
/// <see cref="CnnSpaceOptions.StageStrides"/> (default: the first stages of MnasNet-A1,
/// 16/24/40/80/112/160/320 with strides 1/2/2/2/1/2/1). Output channels = MakeDivisible(base × width):
/// rounded to the nearest multiple of 8, at least 8, and bumped by 8 if rounding lost more than 10%.
/// The stage's first layer has the stage stride, the others stride 1.</item>
/// <item>Each layer is an MBConv block from c_in to c_out with m = c_in × expand:
/// 1×1 conv c_in→m + BN + ReLU (only when expand ≠ 1); depthwise k×k conv (padding k/2, the layer's stride) + BN + ReLU;
/// if SE: global average pool, 1×1 conv m→r with bias, ReLU, 1×1 conv r→m with bias, sigmoid, scale, where r = max(1, m / 4);
/// 1×1 conv m→c_out + BN (no activation); identity residual when stride is 1 and c_in = c_out.</item>
/// <item>Head: 1×1 conv → 1280 + BN + ReLU; global average pool; linear 1280 → classes with bias.</item>
/// </list>
/// Convolutions have no bias unless stated; every BN has 2 parameters per channel. A stride-s
/// convolution maps a side of n to ceil(n / s). FLOPs are multiply-accumulates of convolutions,
/// SE convolutions and the classifier (BN, activations, pooling and additions are not counted).
/// </summary>
public sealed class CnnSpace : SearchSpace
{
    public const string TypeName = "cnn";
    public const int StemChannels = 32;
    public const int HeadChannels = 1280;
    public static readonly IReadOnlyList<int> MnasStageChannels = [16, 24, 40, 80, 112, 160, 320];
    public static readonly IReadOnlyList<int> MnasStageStrides = [1, 2, 2, 2, 1, 2, 1];
    private const int DecisionsPerStage = 5;

    public CnnSpace(CnnSpaceOptions options) : base(TypeName, BuildDecisions(options))
    {
        Options = options;
    }

    public CnnSpaceOptions Options { get; }
    public int Stages => Options.StageChannels.Count;

    public int Layers(Genotype g, int stage) => Options.Layers[(int)g[stage * DecisionsPerStage]];
    public int Kernel(Genotype g, int stage) => Options.Kernels[(int)g[stage * DecisionsPerStage + 1]];
    public int Expansion(Genotype g, int stage) => Options.Expansions[(int)g[stage * DecisionsPerStage + 2]];
    public bool SqueezeExcite(Genotype g, int stage) => g[stage * DecisionsPerStage + 3] == 1;
    public double WidthMultiplier(Genotype g, int stage) => Options.WidthMultipliers[(int)g[stage * DecisionsPerStage + 4]];
    public int OutputChannels(Genotype g, int stage) => MakeDivisible(Options.StageChannels[stage] * WidthMultiplier(g, stage));

    /// <summary>MnasNet's channel rounding: nearest multiple of 8, at least 8, never more than 10% below the target.</summary>
    public static int MakeDivisible(double channels)
    {
        var rounded = Math.Max(8, (int)(channels + 4) / 8 * 8);
        return rounded < 0.9 * channels ? rounded + 8 : rounded;
    }

    public override long ParameterCount(Genotype genotype) => Count(genotype).Parameters;

    public override long? FlopCount(Genotype genotype) => Count(genotype).Flops;

    private (long Parameters, long Flops) Count(Genotype g)
    {
        long parameters = 0, flops = 0;
        var side = Options.Resolution;
        void Conv(long cin, long cout, int k, int stride, int groups = 1, bool bias = false, bool bn = true)
        {
            side = (side + stride - 1) / stride;
            parameters += cin / groups * cout * k * k + (bias ? cout : 0) + (bn ? 2 * cout : 0);
            flops += (long)side * side * cout * (cin / groups) * k * k;
        }

        Conv(Options.InputChannels, StemChannels, 3, 2);
        long channels = StemChannels;
        for (var stage = 0; stage < Stages; stage++)
        {
            var cout = OutputChannels(g, stage);
            for (var layer = 0; layer < Layers(g, stage); layer++)
            {
                var stride = layer == 0 ? Options.StageStrides[stage] : 1;
                var mid = channels * Expansion(g, stage);
                if (Expansion(g, stage) != 1) Conv(channels, mid, 1, 1);
                Conv(mid, mid, Kernel(g, stage), stride, groups: (int)mid);
                if (SqueezeExcite(g, stage))
                {
                    var reduced = Math.Max(1, mid / 4);
                    parameters += mid * reduced + reduced + reduced * mid + mid;
                    flops += 2 * mid * reduced;
                }
                Conv(mid, cout, 1, 1);
                channels = cout;
            }
        }
        Conv(channels, HeadChannels, 1, 1);
        parameters += (long)HeadChannels * Options.Classes + Options.Classes;
        flops += (long)HeadChannels * Options.Classes;
        return (parameters, flops);
    }

    private static IReadOnlyList<Decision> BuildDecisions(CnnSpaceOptions o)
    {
        static string[] Text<T>(IEnumerable<T> xs) => xs.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture)!).ToArray();
        var decisions = new List<Decision>();
        for (var stage = 1; stage <= o.StageChannels.Count; stage++)
        {
            decisions.Add(new CategoricalDecision($"s{stage}.layers", Text(o.Layers)));
            decisions.Add(new CategoricalDecision($"s{stage}.kernel", Text(o.Kernels)));
            decisions.Add(new CategoricalDecision($"s{stage}.expand", Text(o.Expansions)));
            decisions.Add(new CategoricalDecision($"s{stage}.se", ["off", "on"]));
            decisions.Add(new CategoricalDecision($"s{stage}.width", Text(o.WidthMultipliers)));
        }
        return decisions;
    }
}

/// <summary>Shape and choices of a <see cref="CnnSpace"/>; input and classes come from the dataset.</summary>
public sealed record CnnSpaceOptions(
    IReadOnlyList<int> StageChannels,
    IReadOnlyList<int> StageStrides,
    IReadOnlyList<int> Layers,
    IReadOnlyList<int> Kernels,
    IReadOnlyList<int> Expansions,
    IReadOnlyList<double> WidthMultipliers,
    int Resolution,
    int InputChannels,
    int Classes)
{
    /// <summary>The first <paramref name="stages"/> stages of MnasNet-A1 with the paper's choices.</summary>
    public static CnnSpaceOptions Mnas(int stages, int resolution, int inputChannels, int classes) => new(
        CnnSpace.MnasStageChannels.Take(stages).ToArray(),
        CnnSpace.MnasStageStrides.Take(stages).ToArray(),
        [1, 2, 3, 4], [3, 5], [1, 3, 6], [0.5, 0.75, 1.0, 1.25],
        resolution, inputChannels, classes);
}
