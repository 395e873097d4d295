using System.Security.Cryptography;
using System.Text;

namespace NasActors.Cli.Tests;

/// <summary>
/// The bad-input corpus: every user mistake gives exactly one <c>error:</c> line on stderr naming what is
/// wrong, the documented exit code, no stack trace, and leaves the store byte for byte as it was.
/// </summary>
public class BadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>A case: what to lay out in the folder, the command line, the exit code and a piece of the error line.</summary>
    private sealed record Case(Action<Layout> Setup, string[] Args, int ExitCode, string Expected);

    /// <summary>The test's folder: spec and data files, and a store (.nas) some cases prepare.</summary>
    private sealed class Layout(string root)
    {
        public string Root { get; } = root;
        public string Store => Path.Combine(Root, ".nas");

        public string File(string name, string text)
        {
            var path = Path.Combine(Root, name);
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        /// <summary>A spec on a CSV whose rows are <paramref name="rows"/> (after a header a,b,label).</summary>
        public void CsvSpec(string rows, string extra = "") =>
            File("spec.yaml", TinySpecs.Csv(File("data.csv", "a,b,label\n" + rows), extra));

        public void Journal(byte[] bytes)
        {
            Directory.CreateDirectory(Store);
            System.IO.File.WriteAllBytes(Path.Combine(Store, "nas.db"), bytes);
        }

        public void DigitsSpec(Func<string, string> edit) => File("spec.yaml", edit(TinySpecs.Digits()));
    }

    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- specs
        ["spec-yaml-syntax"] = new(l => l.File("spec.yaml", "name: x\nspace: [unclosed\n"), ["run", "spec.yaml"], 2, "malformed YAML"),
        ["spec-unknown-strategy"] = new(l => l.DigitsSpec(s => s.Replace("name: evolution", "name: simulated_annealing")), ["run", "spec.yaml"], 2, "'strategy.name'"),
        ["spec-out-of-range"] = new(l => l.DigitsSpec(s => s.Replace("trials: 12", "trials: 0")), ["run", "spec.yaml"], 2, "'budget.trials': 0 is out of range"),
        ["spec-wrong-type"] = new(l => l.DigitsSpec(s => s.Replace("trials: 12", "trials: lots")), ["run", "spec.yaml"], 2, "expected a number"),
        ["spec-unknown-key"] = new(l => l.DigitsSpec(s => s.Replace("budget:", "budgett: {}\nbudget:")), ["run", "spec.yaml"], 2, "'budgett': unknown key"),
        ["warm-start-bad-cell"] = new(l =>
        {
            l.File("earlier.csv", "trial,state,leases,architecture,objective,val_accuracy,val_loss,params,seconds\n1,Completed,1,\"depth=1|w1=32|act=relu|dropout=0\",0.9,lots,0.3,100,2\n");
            l.DigitsSpec(s => s + "\nwarm_start: {results: earlier.csv}\n");
        }, ["run", "spec.yaml"], 2, "earlier.csv:2: column 'val_accuracy': expected a finite number, got 'lots'"),
        ["warm-start-unknown-search"] = new(l => l.DigitsSpec(s => s + "\nwarm_start: {search: nope-1234}\n"), ["run", "spec.yaml"], 2, "warm_start.search: no search 'nope-1234'"),
        ["warm-start-strategy-that-cannot-learn"] = new(l =>
        {
            l.File("earlier.csv", "trial,state,leases,architecture,objective,val_accuracy,val_loss,params,seconds\n");
            l.DigitsSpec(s => s.Replace("name: evolution", "name: hyperband").Replace("population: 4", "") + "\nwarm_start: {results: earlier.csv}\n");
        }, ["run", "spec.yaml"], 2, "warm_start: strategy 'hyperband' cannot learn from earlier results"),
        // A cluster's store is not the submitter's: warm_start.search is refused before anything is sent (nobody listens on port 1).
        ["warm-start-search-on-submit"] = new(l => l.DigitsSpec(s => s + "\nwarm_start: {search: earlier-1234}\n"), ["submit", "spec.yaml", "--cluster", "127.0.0.1:1"], 2,
            "warm_start.search reads a search of nas run's store; to warm-start a search on a cluster, give warm_start.results: a results.csv"),
        ["cache-with-entities"] = new(l => l.DigitsSpec(s => s.Replace("trials: 12", "trials: 12\n  cache: true").Replace("execution:", "execution:\n  entities: true")),
            ["run", "spec.yaml"], 2, "'budget.cache': a strategy run as entities (execution.entities: true) cannot be answered from the ledger"),
        ["enqueue-foreign-architecture"] = new(l => l.DigitsSpec(s => s + "\nenqueue: ['depth=7']\n"), ["run", "spec.yaml"], 2, "enqueue: 'depth=7' is not an architecture of this search's space"),
        ["spec-missing-dataset"] = new(l => l.DigitsSpec(s => s.Replace(RepoPaths.Digits, "nowhere/digits.csv")), ["run", "spec.yaml"], 2, "'dataset.path'"),
        ["spec-bad-missing-policy"] = new(l => l.CsvSpec("1,2,0\n", "missing: guess"), ["run", "spec.yaml"], 2, "'dataset.missing'"),
        ["spec-validation-fraction"] = new(l => l.DigitsSpec(s => s.Replace("dataset:\n", "dataset:\n  validation_fraction: 1.5\n")), ["run", "spec.yaml"], 2, "'dataset.validation_fraction'"),
        ["spec-unknown-space"] = new(l => l.DigitsSpec(s => s.Replace("type: mlp", "type: transformer9000")), ["run", "spec.yaml"], 2, "'space.type'"),
        ["spec-not-a-mapping"] = new(l => l.File("spec.yaml", "- just\n- a list\n"), ["run", "spec.yaml"], 2, "spec.yaml"),
        // ---- bench build-table
        ["build-table-not-grid"] = new(l => l.DigitsSpec(s => s), ["bench", "build-table", "spec.yaml", "--out", "t.csv"], 2, "strategy must be 'grid'"),
        ["build-table-no-out"] = new(l => l.DigitsSpec(s => s), ["bench", "build-table", "spec.yaml"], 2, "--out"),
        // ---- data
        ["data-nan"] = new(l => l.CsvSpec("1,2,0\n1,NaN,1\n"), ["run", "spec.yaml"], 2, "data.csv: line 3, column 2 ('b'): 'NaN'"),
        ["data-infinite"] = new(l => l.CsvSpec("1,2,0\n1,-Infinity,1\n"), ["run", "spec.yaml"], 2, "line 3, column 2 ('b'): '-Infinity' is not a finite number"),
        ["data-quoted-text"] = new(l => l.CsvSpec("1,2,0\n\"1,5\",2,1\n"), ["run", "spec.yaml"], 2, "line 3, column 1 ('a'): '1,5' is not a number"),
        ["data-ragged"] = new(l => l.CsvSpec("1,2,0\n1,2\n"), ["run", "spec.yaml"], 2, "line 3 has 2 columns, expected 3"),
        ["data-empty-cell"] = new(l => l.CsvSpec("1,2,0\n,2,1\n"), ["run", "spec.yaml"], 2, "line 3, column 1 ('a'): empty cell"),
        ["data-empty-row-of-commas"] = new(l => l.CsvSpec("1,2,0\n,,\n"), ["run", "spec.yaml"], 2, "line 3, column 3 ('label'): label '' is not a whole number"),
        ["data-header-only"] = new(l => l.CsvSpec(""), ["run", "spec.yaml"], 2, "has no data rows"),
        ["data-bad-label"] = new(l => l.CsvSpec("1,2,0\n1,2,cat\n"), ["run", "spec.yaml"], 2, "label 'cat' is not a whole number"),
        // ---- command line
        ["cli-unknown-command"] = new(_ => { }, ["frobnicate"], 2, "Unknown command 'frobnicate'"),
        ["cli-unknown-option"] = new(l => l.DigitsSpec(s => s), ["run", "spec.yaml", "--bogus"], 2, "Unknown option 'bogus'"),
        ["cli-missing-argument"] = new(_ => { }, ["run"], 2, "missing required argument 'spec'"),
        ["cli-not-a-number"] = new(_ => { }, ["bench", "nb201", "--runs", "abc"], 2, "--runs: Failed to convert 'abc'"),
        ["cli-out-of-range"] = new(_ => { }, ["bench", "nb201", "--runs", "0"], 2, "--runs must be at least 1"),
        ["cli-kill-rate"] = new(_ => { }, ["bench", "nb201", "--kill-rate", "2"], 2, "--kill-rate must be in [0, 0.9]"),
        ["cli-unknown-bench"] = new(_ => { }, ["bench", "imagenet"], 2, "Unknown command 'imagenet'"),
        ["cli-unknown-strategy"] = new(_ => { }, ["bench", "nb201", "--strategies", "nosuch"], 2, "unknown strategy 'nosuch'"),
        ["cli-single-fidelity"] = new(_ => { }, ["bench", "nb201", "--strategies", "random,asha,hyperband"], 2, "asha (its successive-halving rungs"),
        ["cli-bohb-rungs"] = new(_ => { }, ["bench", "nb201", "--strategies", "bohb:min_epochs=1"], 2, "bohb:min_epochs=1 (its rungs train"),
        ["cli-missing-table"] = new(_ => { }, ["bench", "nb201", "--data", "no-table.csv"], 2, "no benchmark table at 'no-table.csv'"),
        ["cli-export-without-out"] = new(_ => { }, ["export", "tiny-1234"], 2, "--out DIR is required"),
        ["cli-dashboard-port"] = new(_ => { }, ["dashboard", "--port", "70000"], 2, "--port must be between 0 and 65535, not 70000"),
        ["cli-dashboard-host"] = new(_ => { }, ["dashboard", "--host", "example.org"], 2, "--host must be an IP address or localhost, not 'example.org'"),
        ["cli-dashboard-no-store"] = new(_ => { }, ["dashboard", "--store", "nowhere"], 2, "(no nas.db): run a search there first"),
        // ---- search ids
        ["id-parent-folder"] = new(_ => { }, ["status", "../etc"], 2, "search id '../etc' is not an id"),
        ["id-slash"] = new(_ => { }, ["resume", "a/b"], 2, "search id 'a/b' is not an id"),
        ["id-dot-dot"] = new(_ => { }, ["export", "..", "--out", "x"], 2, "search id '..' is not an id"),
        ["id-unknown-status"] = new(_ => { }, ["status", "nope-1234"], 2, "no search 'nope-1234'"),
        ["id-unknown-resume"] = new(_ => { }, ["resume", "nope-1234"], 2, "no search 'nope-1234'"),
        ["id-unknown-export"] = new(_ => { }, ["export", "nope-1234", "--out", "model"], 2, "no search 'nope-1234'"),
        // ---- missing files
        ["file-missing-spec"] = new(_ => { }, ["run", "no-such-spec.yaml"], 2, "no-such-spec.yaml"),
        ["file-spec-is-a-folder"] = new(l => Directory.CreateDirectory(Path.Combine(l.Root, "spec.yaml")), ["run", "spec.yaml"], 2, "spec.yaml"),
        // ---- the store
        ["store-garbage-header"] = new(l => l.Journal(RandomNumberGenerator.GetBytes(4096)), ["status", "tiny-1234"], 2, "is not a SQLite database"),
        ["store-truncated-header"] = new(l => l.Journal(SqliteMagic), ["status", "tiny-1234"], 2, "is truncated (16 bytes"),
        ["store-torn-pages"] = new(l => l.Journal([.. SqliteMagic, 0x10, 0x00, .. new byte[5000]]), ["export", "tiny-1234", "--out", "m"], 2, "not a whole number of 4096-byte pages"),
        ["store-corrupt-on-run"] = new(l => { l.Journal(RandomNumberGenerator.GetBytes(4096)); l.DigitsSpec(s => s); }, ["run", "spec.yaml"], 2, "sqlite3"),
        ["store-corrupt-on-dashboard"] = new(l => l.Journal(RandomNumberGenerator.GetBytes(4096)), ["dashboard", "--port", "0"], 2, "is not a SQLite database"),
        ["store-corrupt-on-resume"] = new(l => l.Journal(RandomNumberGenerator.GetBytes(8192)), ["resume", "tiny-1234"], 2, "Move it aside"),
        // ---- benchmarks
        ["bench-projection-trainers"] = new(_ => { }, ["bench", "projection", "--trainers", "1000,lots"], 2, "--trainers: '1000,lots'"),
        ["store-bad-spec-beside-journal"] = new(l => { l.Journal(RandomNumberGenerator.GetBytes(4096)); l.DigitsSpec(s => s.Replace("trials: 12", "trials: lots")); },
            ["run", "spec.yaml"], 2, "expected a number"),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_mistake_gives_one_error_line_the_right_exit_code_and_leaves_the_store_alone(string name)
    {
        var c = Cases[name];
        using var temp = new TempFolder();
        var layout = new Layout(temp.Path);
        c.Setup(layout);
        var before = StoreHash(layout.Store);

        var result = await NasProcess.RunToEndAsync(temp.Path, Timeout, c.Args);

        Assert.True(c.ExitCode == result.ExitCode, $"exit code {result.ExitCode}, expected {c.ExitCode}; output:\n{result.Output}");
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", error);
        Assert.Contains(c.Expected, error);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Exception:", result.Output);
        Assert.DoesNotContain("Exception", error);
        Assert.Equal(before, StoreHash(layout.Store));
    }

    /// <summary>
    /// Every file of the store folder, name and bytes; "absent" when there is none. SQLite's -shm file is
    /// left out: it is the WAL's shared-memory index, which any reader (even read-only) rebuilds after a crash;
    /// the journal's content is nas.db and nas.db-wal.
    /// </summary>
    internal static string StoreHash(string store)
    {
        if (!Directory.Exists(store)) return "absent";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(store, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(store, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
