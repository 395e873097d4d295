using NasActors.Core.Specs;
using NasActors.Core.Strategies.Reinforcement;
using NasActors.Core.Trials;
using NasActors.Engine.Searches;
using static NasActors.Engine.Controllers.ControllerEvents;

namespace NasActors.Engine.Controllers;

/// <summary>
/// An RL controller with no actor around it: Core's <see cref="ReinforceSearch"/> (factorised
/// softmax policy, moving-average baseline, staleness weighting and dropping) driven with tickets as
/// trial ids. Rewards are applied as they arrive, in any order; a reward's score function and
/// baseline are those of the policy it was sampled under, so accepted rewards commute.
/// </summary>
public sealed class ControllerState(ControllerId id)
{
    private static readonly TrialMetrics NoMetrics = new(0, 0, 0, 0);
    private readonly SortedDictionary<int, ArchitectureSampled> _outstanding = new();
    private ReinforceSearch? _reinforce;
    private SearchDefinition? _definition;

    public ControllerId Id { get; } = id;
    public ControllerSetup? Setup { get; private set; }
    public int NextTicket { get; private set; } = 1;
    public int RewardsReceived { get; private set; }
    public ReinforceSearch? Reinforce => _reinforce;
    public int SnapshotEvery => _definition?.Spec.Execution.SnapshotEvery ?? 100;

    public IReadOnlyList<IControllerEvent> DecideStart(ControllerSetup setup) => Setup is null ? [new ControllerStarted(setup)] : [];

    public IReadOnlyList<IControllerEvent> DecideSamples()
    {
        if (_reinforce is null) return [];
        var events = new List<IControllerEvent>();
        var ticket = NextTicket;
        while (_outstanding.Count + events.Count < Setup!.InFlight && _reinforce.Ask(ticket) is { } sample)
        {
            events.Add(new ArchitectureSampled(ticket, sample.Genotype.Values.ToArray(), sample.Seed));
            ticket++;
        }
        return events;
    }

    public IReadOnlyList<IControllerEvent> DecideReward(int ticket, double? reward) =>
        _outstanding.ContainsKey(ticket) ? [new RewardReceived(ticket, reward)] : [];

    public IReadOnlyList<Proposal> Outstanding => _outstanding.Values.Select(s => new Proposal(s.Ticket, s.Values, s.Seed)).ToArray();

    public void Apply(IControllerEvent e)
    {
        switch (e)
        {
            case ControllerStarted started:
                Start(started.Setup);
                break;
            case ArchitectureSampled sampled:
                if (!_reinforce!.Pending.Contains(sampled.Ticket))
                {
                    var again = _reinforce.Ask(sampled.Ticket);
                    if (again is null || !again.Genotype.Values.SequenceEqual(sampled.Values))
                        throw new InvalidOperationException($"{Id}: replaying sample {sampled.Ticket} gave a different architecture; the controller's code changed");
                }
                _outstanding[sampled.Ticket] = sampled;
                NextTicket = Math.Max(NextTicket, sampled.Ticket + 1);
                break;
            case RewardReceived received:
                _outstanding.Remove(received.Ticket);
                RewardsReceived++;
                _reinforce!.Tell(received.Reward is { } reward
                    ? new TrialSucceeded(received.Ticket, NoMetrics, reward)
                    : new TrialFailedOutcome(received.Ticket, "trial failed"));
                break;
            default:
                throw new ArgumentException($"unknown controller event {e.GetType().Name}");
        }
    }

    private void Start(ControllerSetup setup)
    {
        Setup = setup;
        _definition = SearchDefinition.From(SearchSpecJson.Deserialize(setup.Spec.SpecJson), new DatasetShape(setup.Spec.Features, setup.Spec.Classes));
        _reinforce = _definition.CreateStrategy() as ReinforceSearch
                     ?? throw new InvalidOperationException($"{Id}: a controller runs strategy '{ReinforceSearch.Name}', the spec names '{_definition.Spec.Strategy.Name}'");
    }

    public PolicyView View() => new(
        Id, _reinforce?.PolicyVersion ?? 0, _reinforce?.Baseline,
        _reinforce?.Policy is FactorizedSoftmaxPolicy f ? f.Logits : [],
        _outstanding.Keys.ToArray(), RewardsReceived, _reinforce?.SaveState());

    public ControllerSnapshot ToSnapshot() => new(Setup!, NextTicket, RewardsReceived, _reinforce!.SaveState(), _outstanding.Values.ToArray());

    public void Restore(ControllerSnapshot snapshot)
    {
        Start(snapshot.Setup);
        NextTicket = snapshot.NextTicket;
        RewardsReceived = snapshot.RewardsReceived;
        _reinforce!.RestoreState(snapshot.Strategy);
        foreach (var s in snapshot.Outstanding) _outstanding[s.Ticket] = s;
    }
}
