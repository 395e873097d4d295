using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// The NAS controller of Zoph &amp; Le (2017) / ENAS: an LSTM cell walks the decisions in order; its input
/// at step d is an embedding of the choice made at step d−1 (a start token at step 0), and a per-decision
/// linear head turns the hidden state into that decision's logits. Tokens: 0 is the start, then one per
/// (decision, choice). Weights start U(−0.1, 0.1) from the given generator, as in ENAS.
/// </summary>
public sealed class LstmController : nn.Module
{
    private readonly Embedding embedding;
    private readonly LSTMCell cell;
    private readonly ModuleList<Linear> heads;
    private readonly int[] _offsets;
    private readonly int _hidden;

    public LstmController(IReadOnlyList<int> choices, int hidden, Generator generator) : base(nameof(LstmController))
    {
        _hidden = hidden;
        _offsets = new int[choices.Count];
        for (var d = 1; d < choices.Count; d++) _offsets[d] = _offsets[d - 1] + choices[d - 1];
        embedding = nn.Embedding(1 + choices.Sum(), hidden);
        cell = nn.LSTMCell(hidden, hidden);
        heads = nn.ModuleList(choices.Select(c => nn.Linear(hidden, c)).ToArray());
        RegisterComponents();
        using var _ = no_grad();
        foreach (var p in parameters()) p.uniform_(-0.1, 0.1, generator);
    }

    public int Decisions => _offsets.Length;

    /// <summary>Logits of decision <paramref name="decision"/> after feeding the previous choice (null at the start).</summary>
    public Tensor Step(int decision, int? previousChoice, ref (Tensor H, Tensor C)? state)
    {
        var token = previousChoice is { } c ? 1 + _offsets[decision - 1] + c : 0;
        var input = embedding.forward(tensor(new long[] { token }));
        // An explicit zero start state: TorchSharp 0.107 sizes a missing one with batch 0.
        var (h, cNext) = cell.forward(input, state ?? (zeros(1, _hidden), zeros(1, _hidden)));
        state = (h, cNext);
        return heads[decision].forward(h).squeeze(0);
    }

    /// <summary>Per-decision log-probabilities along <paramref name="choices"/> (teacher forcing), as one list of 1-D tensors.</summary>
    public List<Tensor> LogProbabilities(IReadOnlyList<int> choices)
    {
        var result = new List<Tensor>(choices.Count);
        (Tensor H, Tensor C)? state = null;
        for (var d = 0; d < choices.Count; d++)
            result.Add(Step(d, d == 0 ? null : choices[d - 1], ref state).log_softmax(0));
        return result;
    }
}
