using NasActors.Engine.Searches;

namespace NasActors.Engine.Controllers;

/// <summary>What an RL controller is told and what it answers.</summary>
public static class ControllerProtocol
{
    /// <summary>Idempotent: the first one fixes the controller's setup.</summary>
    public sealed record StartController(ControllerId ControllerId, ControllerSetup Setup) : IControllerMessage;

    /// <summary>Samples up to the in-flight limit; answered with <see cref="SearchProtocol.ProposalsOffered"/> listing every outstanding sample.</summary>
    public sealed record RequestSamples(ControllerId ControllerId) : IControllerMessage;

    /// <summary>A sample's reward (null: the trial failed), in any order; acknowledged once persisted.</summary>
    public sealed record ReportReward(ControllerId ControllerId, int Ticket, double? Reward) : IControllerMessage;

    public sealed record GetPolicy(ControllerId ControllerId) : IControllerMessage;
}

/// <param name="Spec">the search's spec: space, REINFORCE options (staleness included), seed</param>
/// <param name="InFlight">samples handed out and not yet rewarded, at most</param>
public sealed record ControllerSetup(SearchSpecData Spec, int InFlight);

/// <summary>Answer to <see cref="ControllerProtocol.GetPolicy"/>: the policy's parameters and where learning stands.</summary>
public sealed record PolicyView(
    ControllerId ControllerId,
    int Version,
    double? Baseline,
    IReadOnlyList<IReadOnlyList<double>> Logits,
    IReadOnlyList<int> Outstanding,
    int RewardsReceived,
    string? StrategyState);
