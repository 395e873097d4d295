namespace NasActors.Core.Spaces;

/// <summary>
/// The NAS-Bench-201 cell space (Dong &amp; Yang, ICLR 2020): a 4-node DAG whose 6 edges
/// (node j → node i, j &lt; i) each carry one of five operations; 5^6 = 15,625 cells.
/// Decision k is edge k in the benchmark's order: 1←0, 2←0, 2←1, 3←0, 3←1, 3←2.
/// The canonical form is the benchmark's own string, <c>|op~0|+|op~0|op~1|+|op~0|op~1|op~2|</c>,
/// so genotypes key straight into the NB201 tables.
///
/// Cost model: the NB201 CIFAR network — 3×3 stem to C=16, three stages of N=5 cells at
/// 16/32/64 channels on 32²/16²/8² maps, a ResNet basic block (stride 2) between stages,
/// BN-ReLU, global pooling and a linear classifier. A conv edge is ReLU-Conv-BN with no bias:
/// C²k² + 2C parameters and H·W·C·(C·k² + 3) FLOPs (the benchmark's counter adds three operations
/// per output value for the block's activation and normalisation);
/// a 3×3 average pool costs H·W·C·9 FLOPs; none and skip cost nothing. The fixed skeleton's
/// parameters are analytic (72,656 + 65·classes); its FLOPs are the constant the benchmark
/// reports for it (7,943,232 + 64·classes). Both reproduce every row of the table exactly.
///
/// With <see cref="MergeIsomorphic"/>, isomorphic cells (same computation after dropping
/// 'none' edges and reading through skips; 6,466 classes) become one genotype: the class
/// member whose values sort first.
/// </summary>
public sealed class Nb201Space : SearchSpace
{
    public const string TypeName = "nb201";
    public const int Edges = 6;
    public static readonly IReadOnlyList<string> Operations = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];

    /// <summary>Source node of each edge; the target is 1, 2, 2, 3, 3, 3.</summary>
    private static readonly int[] EdgeSource = [0, 0, 1, 0, 1, 2];
    private static readonly int[] EdgeTarget = [1, 2, 2, 3, 3, 3];
    private static readonly int[] StageChannels = [16, 32, 64];
    private static readonly int[] StageResolution = [32, 16, 8];
    private const int CellsPerStage = 5;
    private const long SkeletonParameters = 72_656;
    private const long SkeletonFlops = 7_943_232;

    // The same for every instance, so built once per process, on first use by a merging space.
    private static readonly Lazy<Dictionary<string, double[]>> Representatives = new(BuildRepresentatives);

    public Nb201Space(int classes = 10, bool mergeIsomorphic = false)
        : base(TypeName, Enumerable.Range(0, Edges).Select(e => (Decision)new CategoricalDecision($"edge{EdgeTarget[e]}{EdgeSource[e]}", Operations)).ToArray())
    {
        Classes = classes;
        MergeIsomorphic = mergeIsomorphic;
    }

    public int Classes { get; }
    public bool MergeIsomorphic { get; }

    public string Operation(Genotype genotype, int edge) => Operations[(int)genotype[edge]];

    public override string Format(IReadOnlyList<double> values)
    {
        string Edge(int e) => $"|{Operations[(int)values[e]]}~{EdgeSource[e]}";
        return $"{Edge(0)}|+{Edge(1)}{Edge(2)}|+{Edge(3)}{Edge(4)}{Edge(5)}|";
    }

    /// <summary>Reads a benchmark string such as <c>|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|</c>.</summary>
    public Genotype Parse(string arch)
    {
        var nodes = arch.Split('+');
        if (nodes.Length != 3) throw new FormatException($"'{arch}' is not a NAS-Bench-201 cell: expected 3 nodes separated by '+'");
        var values = new double[Edges];
        var edge = 0;
        for (var node = 0; node < 3; node++)
        {
            var inputs = nodes[node].Trim('|').Split('|');
            if (inputs.Length != node + 1) throw new FormatException($"'{arch}': node {node + 1} needs {node + 1} inputs, got {inputs.Length}");
            for (var source = 0; source <= node; source++, edge++)
            {
                var parts = inputs[source].Split('~');
                var op = parts.Length == 2 ? Operations.ToList().IndexOf(parts[0]) : -1;
                if (op < 0 || parts[1] != source.ToString())
                    throw new FormatException($"'{arch}': '{inputs[source]}' should be one of {string.Join(", ", Operations)} followed by ~{source}");
                values[edge] = op;
            }
        }
        return Create(values);
    }

    /// <summary>
    /// NB201's own isomorphism key (<c>to_unique_str(consider_zero=True)</c>): each node is the sorted
    /// sum of its inputs' expressions, a skip passes its input through and 'none' (or a zero input) is '#'.
    /// </summary>
    public static string IsomorphismKey(IReadOnlyList<double> values)
    {
        var nodes = new string[4];
        nodes[0] = "0";
        var edge = 0;
        for (var node = 1; node <= 3; node++)
        {
            var terms = new List<string>();
            for (var source = 0; source < node; source++, edge++)
            {
                var op = Operations[(int)values[edge]];
                terms.Add(op == "none" || nodes[source] == "#" ? "#"
                    : op == "skip_connect" ? nodes[source]
                    : $"({nodes[source]})@{op}");
            }
            terms.Sort(StringComparer.Ordinal);
            nodes[node] = string.Join("+", terms);
        }
        return nodes[3];
    }

    /// <summary>Isomorphic cells are one network whether or not this space merges them (<see cref="MergeIsomorphic"/>).</summary>
    public override string EquivalenceKey(Genotype genotype) => IsomorphismKey(genotype.Values);

    protected override void Canonicalise(double[] values)
    {
        if (!MergeIsomorphic) return;
        Representatives.Value[IsomorphismKey(values)].CopyTo(values, 0);
    }

    public override long ParameterCount(Genotype genotype)
    {
        long total = SkeletonParameters + 65L * Classes;
        foreach (var op in Ops(genotype))
            for (var stage = 0; stage < 3; stage++)
                total += CellsPerStage * EdgeParameters(op, StageChannels[stage]);
        return total;
    }

    public override long? FlopCount(Genotype genotype)
    {
        long total = SkeletonFlops + 64L * Classes;
        foreach (var op in Ops(genotype))
            for (var stage = 0; stage < 3; stage++)
                total += CellsPerStage * EdgeFlops(op, StageChannels[stage], StageResolution[stage]);
        return total;
    }

    private static IEnumerable<string> Ops(Genotype genotype) => genotype.Values.Select(v => Operations[(int)v]);

    private static long EdgeParameters(string op, long c) => op switch
    {
        "nor_conv_1x1" => c * c + 2 * c,
        "nor_conv_3x3" => c * c * 9 + 2 * c,
        _ => 0
    };

    private static long EdgeFlops(string op, long c, long hw) => op switch
    {
        "nor_conv_1x1" => hw * hw * c * (c + 3),
        "nor_conv_3x3" => hw * hw * c * (c * 9 + 3),
        "avg_pool_3x3" => hw * hw * c * 9,
        _ => 0
    };

    // Enumerating all 15,625 cells once is cheaper than any clever search for the class minimum.
    private static Dictionary<string, double[]> BuildRepresentatives()
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var values = new double[Edges];
        for (var index = 0; index < 15_625; index++)
        {
            // Counting in base 5 with the first edge most significant visits values in sorted order.
            for (int e = Edges - 1, rest = index; e >= 0; e--, rest /= 5) values[e] = rest % 5;
            result.TryAdd(IsomorphismKey(values), (double[])values.Clone());
        }
        return result;
    }
}
