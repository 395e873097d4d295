using System.Text.Json.Nodes;

namespace NasActors.Core.Strategies;

/// <summary>
/// Scale-free rewards for learning strategies (REINFORCE, MANAS): a result's reward is its mid-rank quantile among the
/// last <see cref="Window"/> results, itself included — (below + ½·equal) / n, in [0, 1], ½ for the first one.
/// Ranks rather than a running z-score because they are invariant to every monotone transformation of the
/// objective, not only affine ones: accuracy, a minimised loss, latency and a penalised objective with a cliff
/// at a soft limit all give the same rewards for the same ordering; one diverged trial cannot squash every
/// other reward (as min–max scaling did); and the reward stays in [0, 1], which EXP3 needs. The window makes
/// the rank relative to recent results, so the reward keeps separating good from bad as the search improves.
/// </summary>
public sealed class RewardRanks(int window)
{
    /// <summary>What the <c>reward_window</c> parameter of the strategies that rank rewards means.</summary>
    public const string WindowHelp = "recent results a reward is ranked among (rewards are ranks, free of the objective's scale)";

    private readonly Queue<double> _recent = new();

    public int Window { get; } = window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), "the window holds at least one result");

    /// <summary>The objectives a new result is ranked against: the newest <see cref="Window"/> − 1 told so far, oldest first.</summary>
    public double[] Others() => _recent.Skip(Math.Max(0, _recent.Count - (Window - 1))).ToArray();

    /// <summary>Adds <paramref name="objective"/> (larger is better) to the window and returns its reward.</summary>
    public double Reward(double objective)
    {
        var reward = Rank(objective, Others());
        Add(objective);
        return reward;
    }

    /// <summary>Remembers a result without computing its reward (it was ranked against an earlier window).</summary>
    public void Add(double objective)
    {
        _recent.Enqueue(objective);
        if (_recent.Count > Window) _recent.Dequeue();
    }

    /// <summary>Mid-rank quantile of <paramref name="objective"/> among <paramref name="others"/> and itself.</summary>
    public static double Rank(double objective, IReadOnlyCollection<double> others) =>
        (others.Count(v => v < objective) + 0.5 * (others.Count(v => v == objective) + 1)) / (others.Count + 1);

    public JsonNode Save() => new JsonArray(_recent.Select(v => (JsonNode)v).ToArray());

    public void Restore(JsonNode? state)
    {
        _recent.Clear();
        if (state is null) return;
        foreach (var v in state.AsArray()) _recent.Enqueue(v!.GetValue<double>());
    }
}
