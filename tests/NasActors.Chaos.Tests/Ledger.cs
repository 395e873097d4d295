namespace NasActors.Chaos.Tests;

/// <summary>
/// A search's trials as the raw journal records them, for the accounting every chaos test checks:
/// each proposed trial ends in exactly one terminal state, and the completed ones make the budget.
/// </summary>
public sealed class Ledger(IReadOnlyList<JournalReader.Event> events)
{
    private static readonly string[] TerminalKinds = ["trial-completed", "trial-failed", "trial-quarantined"];

    public IReadOnlyList<JournalReader.Event> Events => events;

    public IReadOnlyList<int> Proposed => Of("trial-proposed").Select(e => e.TrialId).ToArray();

    public IReadOnlyList<JournalReader.Event> Completed => Of("trial-completed");

    public IReadOnlyList<JournalReader.Event> Failed => Of("trial-failed");

    /// <summary>Completed trial id → the completion event's payload, byte for byte.</summary>
    public IReadOnlyDictionary<int, string> CompletedPayloads => Completed.ToDictionary(e => e.TrialId, e => e.Payload.GetRawText());

    public IReadOnlyList<JournalReader.Event> Terminal =>
        events.Where(e => TerminalKinds.Any(kind => e.Manifest.StartsWith(kind + ".", StringComparison.Ordinal))).ToArray();

    public int LeasesOf(int trialId) => Of("trial-leased").Count(e => e.TrialId == trialId);

    public IReadOnlyList<JournalReader.Event> Of(string kind) =>
        events.Where(e => e.Manifest.StartsWith(kind + ".", StringComparison.Ordinal)).ToArray();

    public JournalReader.Event TerminalOf(int trialId) => Assert.Single(Terminal, e => e.TrialId == trialId);

    public string? ReasonOf(int trialId) => TerminalOf(trialId).Payload.TryGetProperty("Reason", out var r) ? r.GetString() : null;

    /// <summary>
    /// Exactly-once accounting: the budget of distinct completed trials, every proposed trial in
    /// exactly one terminal state, nothing terminal that was never proposed, the search finished.
    /// </summary>
    public void AssertExactAccounting(int budget)
    {
        Assert.Equal(budget, Completed.Count);
        Assert.Equal(budget, Completed.Select(e => e.TrialId).Distinct().Count());
        var terminalIds = Terminal.Select(e => e.TrialId).ToArray();
        Assert.Equal(terminalIds.Length, terminalIds.Distinct().Count());
        Assert.Equal(Proposed.Order(), terminalIds.Order());
        Assert.Single(Of("search-finished"));
    }
}
