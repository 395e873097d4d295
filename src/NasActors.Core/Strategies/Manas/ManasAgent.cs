using System.Text.Json.Nodes;
using NasActors.Core.Randomness;

namespace NasActors.Core.Strategies.Manas;

/// <summary>
/// One MANAS agent (Carlucci et al. 2019): an adversarial bandit over the choices of its decision,
/// learning with EXP3 (Auer et al. 2002) from the reward all agents share. It plays
/// π = (1 − γ)·w/Σw + γ/K and, for the choice played with probability π(a), adds η·r̂ with the
/// importance-weighted estimate r̂ = r / π(a) to log w(a) (η = γ/K in Auer et al.; its own setting here) — unbiased although the reward depends on
/// every other agent's pick. Self-contained (state and snapshot) so it can later live in its own actor.
/// </summary>
public sealed class ManasAgent
{
    private double[] _logWeights;

    /// <param name="learningRate">step η on log w per importance-weighted reward; null: Auer et al.'s γ/K</param>
    public ManasAgent(string name, int choices, double gamma, double? learningRate = null)
    {
        if (choices < 1) throw new ArgumentOutOfRangeException(nameof(choices));
        if (gamma is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(gamma), "exploration must be in (0, 1]");
        Name = name;
        Gamma = gamma;
        LearningRate = learningRate ?? gamma / choices;
        _logWeights = new double[choices];
    }

    public string Name { get; }
    public double Gamma { get; }
    public double LearningRate { get; }
    public int Choices => _logWeights.Length;

    /// <summary>Rewards told so far.</summary>
    public int Updates { get; private set; }

    /// <summary>Log-weights (read-only copy); kept in log space so long runs cannot overflow.</summary>
    public IReadOnlyList<double> LogWeights => _logWeights.ToArray();

    public double[] Probabilities() =>
        Categorical.Softmax(_logWeights).Select(p => (1 - Gamma) * p + Gamma / Choices).ToArray();

    /// <summary>The agent's pick and the probability it had, which the update needs back.</summary>
    public (int Choice, double Probability) Act(SeededRandom random)
    {
        var p = Probabilities();
        var choice = Categorical.Sample(p, random);
        return (choice, p[choice]);
    }

    /// <summary>The choice it believes best.</summary>
    public int Best => Categorical.ArgMax(_logWeights);

    /// <param name="reward">the shared reward, in [−1, 1] (MANAS passes a centred rank)</param>
    public void Learn(int choice, double probability, double reward)
    {
        _logWeights[choice] += LearningRate * reward / probability;
        Updates++;
    }

    public JsonNode Save() => new JsonObject
    {
        ["name"] = Name,
        ["gamma"] = Gamma,
        ["learningRate"] = LearningRate,
        ["updates"] = Updates,
        ["logWeights"] = new JsonArray(_logWeights.Select(w => (JsonNode)w).ToArray())
    };

    public static ManasAgent Restore(JsonNode state)
    {
        var weights = state["logWeights"]!.AsArray().Select(w => w!.GetValue<double>()).ToArray();
        // Snapshots from before η was its own setting used γ/K.
        return new ManasAgent(state["name"]!.GetValue<string>(), weights.Length, state["gamma"]!.GetValue<double>(), state["learningRate"]?.GetValue<double>())
        {
            _logWeights = weights,
            Updates = state["updates"]!.GetValue<int>()
        };
    }
}
