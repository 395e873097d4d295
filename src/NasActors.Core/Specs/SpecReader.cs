using System.Text.RegularExpressions;
using NasActors.Core.Data;
using NasActors.Core.Strategies;
using NasActors.Core.Strategies.Manas;
using NasActors.Core.Strategies.Reinforcement;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NasActors.Core.Specs;

/// <summary>
/// Reads and validates a YAML search spec. Every mistake becomes a <see cref="SpecException"/>
/// naming the file, line and field; relative paths resolve against the spec file's folder.
/// The space, hyperparameter, objective and constraint blocks are read in the other parts of this class.
/// </summary>
public static partial class SpecReader
{
    public static SearchSpec ReadFile(string path)
    {
        if (!File.Exists(path)) throw new SpecException($"spec file '{path}' does not exist");
        var fullPath = Path.GetFullPath(path);
        return Read(File.ReadAllText(fullPath), fullPath);
    }

    public static SearchSpec Read(string yaml, string specPath)
    {
        var root = Parse(yaml, specPath);
        root.AllowOnly("name", "seed", "space", "hyperparameters", "dataset", "training", "strategy", "objective", "objectives", "constraints", "budget", "execution", "stages", "warm_start", "enqueue");
        var name = root.String("name");
        if (!NamePattern().IsMatch(name))
            throw root.Error(null, "name", $"'{name}' must be 1-40 characters of a-z, 0-9, '-' or '_', starting with a letter or digit");
        var folder = Path.GetDirectoryName(specPath) ?? ".";
        var space = ReadSpace(root.Mapping("space"));
        var objectives = ReadObjectives(root, folder, space);
        var strategy = ReadStrategy(root.Mapping("strategy"));
        var execution = ReadExecution(root.Mapping("execution", required: false));
        execution = CheckEntities(root, strategy, execution);
        var stages = root.Has("stages") ? ReadStages(root, space) : null;
        if (stages is not null && execution.Entities)
            throw root.Mapping("execution").Error(null, "entities", "a curriculum (stages) runs its strategy inside the coordinator; remove entities: true");
        return new SearchSpec(
            name,
            root.OptionalLong("seed", 0) ?? 0,
            space,
            ReadDataset(root.Mapping("dataset"), folder),
            ReadTraining(root.Mapping("training", required: false)),
            strategy,
            ReadBudget(root.Mapping("budget", required: stages is null), execution.Entities, stages?.Sum(st => st.Trials)),
            execution,
            objectives[0],
            ReadConstraints(root.Mapping("constraints", required: false), folder, space))
        {
            Objectives = objectives,
            Hyperparameters = root.Has("hyperparameters") ? ReadHyperparameters(root.Mapping("hyperparameters"), space) : null,
            Stages = stages,
            WarmStart = root.Has("warm_start") ? ReadWarmStart(root.Mapping("warm_start"), folder) : null,
            Enqueue = root.Has("enqueue") ? root.StringList("enqueue") : null
        };
    }

    /// <summary><c>warm_start: {results: FILE}</c> or <c>{search: ID}</c>; the rows are read by whoever starts the search.</summary>
    private static WarmStartSpec ReadWarmStart(YamlField warm, string folder)
    {
        warm.AllowOnly("results", "search");
        if (warm.Has("results") == warm.Has("search"))
            throw warm.Error(null, "results", "give exactly one source: results (a results.csv) or search (a search id in the same store)");
        if (!warm.Has("results")) return new WarmStartSpec(null, warm.String("search"));
        var path = Path.GetFullPath(Path.Combine(folder, warm.String("results")));
        return File.Exists(path) ? new WarmStartSpec(path, null) : throw warm.Error(null, "results", $"file '{path}' does not exist");
    }

    private static YamlField Parse(string yaml, string specPath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SpecException($"{specPath}:{e.Start.Line}: malformed YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser fails this way (no position) when the text ends inside a flow collection.
            throw new SpecException($"{specPath}: malformed YAML: the file ends inside an unclosed '[' or '{{'");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new SpecException($"{specPath}: expected a mapping of top-level keys (name, space, dataset, strategy, budget, ...)");
        return new YamlField(specPath, "", map);
    }

    private static DatasetSpec ReadDataset(YamlField dataset, string folder)
    {
        dataset.AllowOnly("path", "format", "labels", "label", "image", "max_examples", "validation_fraction", "missing");
        var format = dataset.Choice("format", [DatasetLoader.Csv, DatasetLoader.Idx], DatasetLoader.Csv);
        var full = format == DatasetLoader.Idx ? IdxFile(dataset, "path", folder) : ExistingFile(dataset, "path", folder, "dataset file");
        string? labels = null;
        if (format == DatasetLoader.Idx)
        {
            if (dataset.Has("label")) throw dataset.Error(null, "label", "an idx dataset has a labels file, not a label column; use 'labels: <file>'");
            labels = dataset.Has("labels") ? IdxFile(dataset, "labels", folder) : IdxFile(dataset, "labels", folder, TryLabelsPath(full));
        }
        else if (dataset.Has("labels")) throw dataset.Error(null, "labels", "only an idx dataset has a labels file; a csv names its label column with 'label'");
        var label = dataset.String("label", "last");
        if (label is not ("first" or "last") && !int.TryParse(label, out _))
            throw dataset.Error(null, "label", $"'{label}' must be 'first', 'last' or a column index");
        return new DatasetSpec(full, label, dataset.Double("validation_fraction", 0.2, 0.01, 0.9))
        {
            Format = format,
            LabelsPath = labels,
            Image = dataset.Has("image") ? ReadImage(dataset.Mapping("image")) : null,
            MaxExamples = dataset.Has("max_examples") ? dataset.Int("max_examples", null, 10, 100_000_000) : null,
            // Only an explicit choice is stored, so specs without the key keep their id.
            Missing = dataset.Has("missing") ? dataset.Choice("missing", [MissingCells.Error, MissingCells.ImputeMean], MissingCells.Error) : null
        };
    }

    private static ImageShape ReadImage(YamlField image)
    {
        image.AllowOnly("channels", "height", "width");
        return new ImageShape(image.Int("channels", 1, 1, 64), image.Int("height", null, 1, 4096), image.Int("width", null, 1, 4096));
    }

    /// <summary>An IDX file must exist; a missing one names the Debian package that installs Fashion-MNIST.</summary>
    private static string IdxFile(YamlField field, string key, string folder, string? fallback = null)
    {
        var full = Path.GetFullPath(Path.Combine(folder, field.String(key, fallback)));
        return File.Exists(full)
            ? full
            : throw field.Error(null, key, $"IDX file '{full}' does not exist (for Fashion-MNIST: apt-get install dataset-fashion-mnist, " +
                                           $"which installs {IdxReader.FashionMnistFolder}/train-images-idx3-ubyte.gz and friends)");
    }

    private static string? TryLabelsPath(string imagesPath)
    {
        try { return IdxReader.LabelsPathFor(imagesPath); }
        catch (DatasetException) { return null; }
    }

    /// <summary>A path resolved against the spec's folder that must name an existing file.</summary>
    private static string ExistingFile(YamlField field, string key, string folder, string what, string? fallback = null)
    {
        var full = Path.GetFullPath(Path.Combine(folder, field.String(key, fallback)));
        return File.Exists(full)
            ? full
            : throw field.Error(null, key, $"{what} '{full}' does not exist (copy it there, or fix the path; relative paths are resolved against the spec's folder)");
    }

    private static TrainingSpec ReadTraining(YamlField training)
    {
        training.AllowOnly("epochs", "batch_size");
        return new TrainingSpec(training.Int("epochs", 10, 1, 10_000), training.Int("batch_size", 64, 1, 65_536));
    }

    private static StrategySpec ReadStrategy(YamlField strategy)
    {
        var name = strategy.Choice("name", StrategyRegistry.Names);
        StrategyRegistry.TryGet(name, out var registration);
        strategy.AllowOnly(["name", .. registration.Parameters.Select(p => p.Name), .. registration.Choices.Select(c => c.Name)]);
        var parameters = registration.Parameters.ToDictionary(
            p => p.Name,
            p => p.Integer
                ? strategy.Int(p.Name, (int)p.Default, (int)p.Min, (int)p.Max)
                : strategy.Double(p.Name, p.Default, p.Min, p.Max));
        var options = registration.Choices.ToDictionary(c => c.Name, c => strategy.Choice(c.Name, c.Allowed(), c.Default));
        return new StrategySpec(name, parameters) { Options = options };
    }

    /// <param name="stageTrials">with a curriculum, the stages' total: budget.trials may be left out, and must equal it if given</param>
    /// <param name="entities">the strategy runs as entities: their proposals are tickets the coordinator cannot answer from its ledger</param>
    private static BudgetSpec ReadBudget(YamlField budget, bool entities, int? stageTrials = null)
    {
        budget.AllowOnly("trials", "max_failures", "cache", "max_cached");
        var trials = budget.Int("trials", stageTrials, 1, 1_000_000);
        if (stageTrials is { } total && trials != total)
            throw budget.Error(null, "trials", $"{trials} differs from the stages' trials, which add up to {total}; leave it out or make them agree");
        var cache = budget.Bool("cache", false);
        if (cache && entities)
            throw budget.Error(null, "cache", "a strategy run as entities (execution.entities: true) cannot be answered from the ledger; remove cache: true or entities: true");
        if (!cache && budget.Has("max_cached"))
            throw budget.Error(null, "max_cached", "only applies with cache: true");
        return new BudgetSpec(trials, budget.Int("max_failures", Math.Max(10, trials / 4), 0, 1_000_000))
        {
            Cache = cache,
            MaxCached = budget.Has("max_cached") ? budget.Int("max_cached", null, 0, 1_000_000) : null
        };
    }

    private static ExecutionSpec ReadExecution(YamlField execution)
    {
        execution.AllowOnly("trainers", "threads_per_trainer", "lease_seconds", "snapshot_every", "entities", "in_flight", "max_attempts", "trial_timeout", "priority", "lease_ahead");
        return new ExecutionSpec(
            execution.Int("trainers", 2, 1, 1024),
            execution.Int("threads_per_trainer", 1, 1, 256),
            execution.Double("lease_seconds", 30, 1, 86_400),
            execution.Int("snapshot_every", 1000, 1, 1_000_000))
        {
            Entities = execution.Bool("entities", false),
            InFlight = execution.Int("in_flight", 0, 0, 10_000),
            MaxAttempts = execution.Int("max_attempts", ExecutionSpec.DefaultMaxAttempts, 1, 100),
            TrialTimeoutSeconds = execution.Double("trial_timeout", 0, 0, 604_800),
            Priority = execution.Int("priority", 1, 1, 1_000_000),
            LeaseAhead = ReadLeaseAhead(execution)
        };
    }

    /// <summary><c>lease_ahead: auto</c> (the default; null) or a whole number of queued trials from 0 to <see cref="ExecutionSpec.MaxLeaseAhead"/>.</summary>
    private static int? ReadLeaseAhead(YamlField execution)
    {
        if (!execution.Has("lease_ahead") || execution.String("lease_ahead") == "auto") return null;
        var text = execution.String("lease_ahead");
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= ExecutionSpec.MaxLeaseAhead
            ? n
            : throw execution.Error(null, "lease_ahead", $"expected auto or a whole number of queued trials from 0 to {ExecutionSpec.MaxLeaseAhead}, got '{text}'");
    }

    /// <summary>
    /// Strategies that can run as entities. Islands (or migration) imply entities: each island is one;
    /// a spec that asks for islands and says <c>entities: false</c> contradicts itself.
    /// </summary>
    private static ExecutionSpec CheckEntities(YamlField root, StrategySpec strategy, ExecutionSpec execution)
    {
        var islands = strategy.Parameters.GetValueOrDefault("islands", 1);
        var migration = strategy.Parameters.GetValueOrDefault("migration_every", 0);
        if (islands > 1 || migration > 0)
        {
            if (!execution.Entities && root.Mapping("execution", required: false).Has("entities"))
                throw root.Mapping("strategy").Error(null, islands > 1 ? "islands" : "migration_every",
                    "islands and migration need execution.entities: true (each island is an entity)");
            execution = execution with { Entities = true };
        }
        string[] entityStrategies = [RegularizedEvolution.Name, ReinforceSearch.Name, ManasSearch.Name];
        if (execution.Entities && !entityStrategies.Contains(strategy.Name))
            throw root.Mapping("execution").Error(null, "entities",
                $"strategy '{strategy.Name}' runs inside the coordinator only; entities: true supports {string.Join(", ", entityStrategies)}");
        return execution;
    }

    /// <summary>The curriculum: a list of stages, each with its fidelity, budget, promotion rule and optional restriction.</summary>
    private static IReadOnlyList<StageSpec> ReadStages(YamlField root, SpaceSpec spaceSpec)
    {
        // Decisions do not depend on the dataset's shape, only parameter counts do: any shape lists them.
        var space = SpaceFactory.Create(spaceSpec, new DatasetShape(1, 2));
        var items = root.MappingList("stages");
        return items.Select((stage, i) =>
        {
            stage.AllowOnly("name", "epochs", "data_fraction", "trials", "promote", "restrict");
            int? topK = null;
            double? topFraction = null;
            if (stage.Has("promote"))
            {
                var promote = stage.Mapping("promote");
                promote.AllowOnly("top_k", "top_fraction");
                if (promote.Has("top_k") == promote.Has("top_fraction"))
                    throw stage.Error(null, "promote", "give exactly one of top_k or top_fraction");
                topK = promote.Has("top_k") ? promote.Int("top_k", null, 1, 1_000_000) : null;
                topFraction = promote.Has("top_fraction") ? promote.Double("top_fraction", null, 0.0001, 1) : null;
            }
            else if (i < items.Count - 1)
                throw stage.Error(null, "promote", "missing; every stage but the last says what it promotes ({top_k: n} or {top_fraction: f})");
            return new StageSpec(
                stage.String("name", $"stage-{i + 1}"),
                stage.Int("epochs", null, 1, 10_000),
                stage.Double("data_fraction", 1.0, 0.001, 1.0),
                stage.Int("trials", null, 1, 1_000_000),
                topK, topFraction,
                stage.Has("restrict") ? ReadRestriction(stage.Mapping("restrict"), space) : null);
        }).ToArray();
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadRestriction(YamlField restrict, Spaces.SearchSpace space)
    {
        var names = space.Decisions.OfType<Spaces.CategoricalDecision>().Select(d => d.Name).ToArray();
        restrict.AllowOnly(names);
        return restrict.Entries().ToDictionary(e => e.Key, e =>
            restrict.ChoiceList(e.Key, [], ((Spaces.CategoricalDecision)space.Decisions[space.IndexOf(e.Key)]).Options));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex NamePattern();
}
