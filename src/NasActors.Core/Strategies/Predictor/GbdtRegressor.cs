namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Gradient-boosted regression trees (least squares, leaf-wise growth as in FastTree/LightGBM) over fixed-length
/// features, in plain C#. The project's own code rather than ML.NET's FastTree, for two reasons: a search trains a
/// model every few results on a hundred-odd rows, where ML.NET's fixed cost per model (data views, binning, a
/// compiled prediction engine: ~80 ms and ~25 µs per scored row) made a 500-run NB201 replay take ten minutes
/// instead of one; and a restored strategy retrains its model from the snapshot's rows, so the model must not
/// change when a library is upgraded. Training has no randomness: the same rows always give the same trees.
/// </summary>
public sealed class GbdtRegressor
{
    private readonly double _base;
    private readonly Tree[] _trees;
    private readonly float[] _gains;

    private GbdtRegressor(double @base, Tree[] trees, float[] gains) => (_base, _trees, _gains) = (@base, trees, gains);

    public static GbdtRegressor Train(IReadOnlyList<float[]> features, IReadOnlyList<float> labels, int featureCount, GbdtOptions options)
    {
        var n = labels.Count;
        var @base = n == 0 ? 0 : labels.Average(l => (double)l);
        var predictions = Enumerable.Repeat(@base, n).ToArray();
        var residuals = new double[n];
        var gains = new float[featureCount];
        var trees = new Tree[n == 0 ? 0 : options.Trees];
        // Rows sorted by each feature once per model; a leaf's split search walks them keeping its own rows.
        var sorted = Enumerable.Range(0, featureCount)
            .Select(f => Enumerable.Range(0, n).OrderBy(i => features[i][f]).ThenBy(i => i).ToArray()).ToArray();
        for (var t = 0; t < trees.Length; t++)
        {
            for (var i = 0; i < n; i++) residuals[i] = labels[i] - predictions[i];
            trees[t] = Tree.Grow(features, residuals, sorted, options, gains);
            for (var i = 0; i < n; i++) predictions[i] += trees[t].Predict(features[i]);
        }
        return new GbdtRegressor(@base, trees, gains);
    }

    public float[] Predict(IReadOnlyList<float[]> features)
    {
        var scores = new float[features.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = (float)Predict(features[i]);
        return scores;
    }

    public double Predict(float[] features)
    {
        var sum = _base;
        foreach (var tree in _trees) sum += tree.Predict(features);
        return sum;
    }

    /// <summary>Each feature's summed split gain (reduction of squared error) over all trees.</summary>
    public IReadOnlyList<float> FeatureGains => _gains;

    /// <summary>
    /// One regression tree. Inner nodes send rows with feature ≤ threshold left; a negative child is a leaf (~index).
    /// Grown leaf-wise: the leaf whose best split reduces the squared error most is split next, up to
    /// <see cref="GbdtOptions.Leaves"/> leaves with at least <see cref="GbdtOptions.MinLeafExamples"/> rows each.
    /// </summary>
    private sealed class Tree
    {
        private readonly List<(int Feature, float Threshold, int Left, int Right)> _nodes = [];
        private readonly List<double> _leaves = [];

        public double Predict(float[] x)
        {
            if (_nodes.Count == 0) return _leaves[0];
            var node = 0;
            while (true)
            {
                var (feature, threshold, left, right) = _nodes[node];
                var next = x[feature] <= threshold ? left : right;
                if (next < 0) return _leaves[~next];
                node = next;
            }
        }

        public static Tree Grow(IReadOnlyList<float[]> x, double[] residuals, int[][] sorted, GbdtOptions options, float[] gains)
        {
            var tree = new Tree();
            var leafOf = new int[residuals.Length]; // the open leaf each row is in
            Split? Best(int[] rows, int leaf) => BestSplit(x, residuals, rows, leaf, leafOf, sorted, options.MinLeafExamples);
            // Open leaves: their rows, where the tree points at them (parent node and side; -1 for the root) and their best split.
            var open = new List<(int[] Rows, int Parent, bool IsLeft, Split? Best)>();
            var all = Enumerable.Range(0, residuals.Length).ToArray();
            open.Add((all, -1, false, Best(all, 0)));
            while (open.Count < options.Leaves)
            {
                var pick = -1;
                for (var i = 0; i < open.Count; i++)
                    if (open[i].Best is { Gain: > 1e-12 } s && (pick < 0 || s.Gain > open[pick].Best!.Gain)) pick = i;
                if (pick < 0) break;
                var (rows, parent, isLeft, best) = open[pick];
                var split = best!;
                gains[split.Feature] += (float)split.Gain;
                var node = tree._nodes.Count;
                tree._nodes.Add((split.Feature, split.Threshold, -1, -1));
                if (parent >= 0) tree.Point(parent, isLeft, node);
                var left = rows.Where(r => x[r][split.Feature] <= split.Threshold).ToArray();
                var right = rows.Where(r => x[r][split.Feature] > split.Threshold).ToArray();
                foreach (var r in right) leafOf[r] = open.Count;
                open[pick] = (left, node, true, Best(left, pick));
                open.Add((right, node, false, Best(right, open.Count)));
            }
            foreach (var (rows, parent, isLeft, _) in open)
            {
                var leaf = tree._leaves.Count;
                tree._leaves.Add(options.LearningRate * (rows.Length == 0 ? 0 : rows.Average(r => residuals[r])));
                if (parent >= 0) tree.Point(parent, isLeft, ~leaf);
            }
            return tree;
        }

        private void Point(int parent, bool isLeft, int child)
        {
            var n = _nodes[parent];
            _nodes[parent] = isLeft ? n with { Left = child } : n with { Right = child };
        }

        /// <summary>The split of leaf <paramref name="leaf"/>'s rows that reduces the squared error most (ties: lowest feature, lowest threshold).</summary>
        private static Split? BestSplit(IReadOnlyList<float[]> x, double[] residuals, int[] rows, int leaf, int[] leafOf, int[][] sorted, int minLeaf)
        {
            if (rows.Length < 2 * minLeaf) return null;
            var total = rows.Sum(r => residuals[r]);
            var baseline = total * total / rows.Length;
            Split? best = null;
            for (var f = 0; f < sorted.Length; f++)
            {
                var leftSum = 0.0;
                var nl = 0;
                var previous = -1;
                foreach (var r in sorted[f])
                {
                    if (leafOf[r] != leaf) continue;
                    if (previous >= 0 && x[r][f] != x[previous][f])
                    {
                        var nr = rows.Length - nl;
                        if (nl >= minLeaf && nr >= minLeaf)
                        {
                            var rightSum = total - leftSum;
                            var gain = leftSum * leftSum / nl + rightSum * rightSum / nr - baseline;
                            if (best is null || gain > best.Gain) best = new Split(f, (x[previous][f] + x[r][f]) / 2, gain);
                        }
                    }
                    leftSum += residuals[r];
                    nl++;
                    previous = r;
                }
            }
            return best;
        }

        private sealed record Split(int Feature, float Threshold, double Gain);
    }
}

/// <param name="Trees">boosting rounds</param>
/// <param name="Leaves">leaves per tree</param>
/// <param name="MinLeafExamples">fewest training rows in a leaf (small: the data sets are small)</param>
/// <param name="LearningRate">shrinkage of each tree</param>
public sealed record GbdtOptions(int Trees = 50, int Leaves = 8, int MinLeafExamples = 2, double LearningRate = 0.2);
