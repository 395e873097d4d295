using Microsoft.Data.Sqlite;

namespace NasActors.Chaos.Tests;

/// <summary>
/// One embedded store in a temp folder with one spec, and the `nas` runs against it, each with the
/// faults of <see cref="Faults"/> (the NAS_FAULTS testing hook).
/// </summary>
public sealed class ChaosStore : IDisposable
{
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private readonly TempFolder _temp = new();

    public ChaosStore(string spec, string faults)
    {
        Spec = _temp.Write("chaos.yaml", spec);
        Faults = faults;
    }

    public string Folder => _temp.Path;
    public string Spec { get; }
    public string Faults { get; }
    public string Directory => Path.Combine(Folder, ".nas");
    public string Database => Path.Combine(Directory, "nas.db");
    public string NodeLog => Path.Combine(Directory, "logs", "node.log");

    public Ledger Ledger() => new(JournalReader.Read(Database));

    /// <summary>The one search in this store (read from the journal, so it works while a run holds the store).</summary>
    public string SearchId()
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // By its first event: the search index's journal ("search-index-…") shares the prefix.
        command.CommandText = "SELECT persistence_id FROM journal WHERE manifest LIKE 'search-started.%' LIMIT 1";
        return ((string)command.ExecuteScalar()!)["search-".Length..];
    }

    public string SearchDirectory => Path.Combine(Directory, "searches", SearchId());

    public NasProcess Start(params string[] args) =>
        NasProcess.Start(Folder, new Dictionary<string, string> { ["NAS_FAULTS"] = Faults }, args);

    public NasProcess StartRun() => Start("run", Spec);

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var nas = Start(args);
        var code = await nas.WaitForExitAsync(Generous);
        return (code, nas.Output);
    }

    public Task<(int ExitCode, string Output)> RunToEndAsync() => RunAsync("run", Spec);

    public string NodeLogText() => File.Exists(NodeLog) ? File.ReadAllText(NodeLog) : "";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}

public static class NasProcessExtensions
{
    /// <summary>Waits until the run's trainers are started: its first "search &lt;id&gt;: N/B trials done" line.</summary>
    public static Task WaitUntilSearchingAsync(this NasProcess nas) =>
        nas.WaitForLineAsync(l => l.StartsWith("search ") && l.Contains("trials done"), ChaosStore.Generous);

    /// <summary>Waits until a line "progress N/B ..." with N ≥ <paramref name="completed"/>.</summary>
    public static Task WaitForProgressAsync(this NasProcess nas, int completed) =>
        nas.WaitForLineAsync(l => l.StartsWith("progress ") && int.Parse(l.Split(' ')[1].Split('/')[0]) >= completed, ChaosStore.Generous);
}
