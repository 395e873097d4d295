using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace NasActors.Core.Strategies.Predictor;

/// <summary>
/// Gradient-boosted regression trees (ML.NET FastTree) over fixed-length features. Trained with a
/// fixed seed on one thread, so the same data always gives the same model — a restored strategy
/// retrains the model instead of storing it.
/// </summary>
public sealed class GbdtRegressor
{
    private readonly PredictionEngine<Row, Prediction> _engine;
    private readonly float[] _gains;

    private GbdtRegressor(PredictionEngine<Row, Prediction> engine, float[] gains) => (_engine, _gains) = (engine, gains);

    public static GbdtRegressor Train(IReadOnlyList<float[]> features, IReadOnlyList<float> labels, int featureCount, int seed, GbdtOptions options)
    {
        var ml = new MLContext(seed);
        var schema = Schema(featureCount);
        var data = ml.Data.LoadFromEnumerable(features.Select((f, i) => new Row { Features = f, Label = labels[i] }), schema);
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinLeafExamples,
            LearningRate = options.LearningRate,
            NumberOfThreads = 1,
            Seed = seed
        });
        var model = trainer.Fit(data);
        var gains = default(VBuffer<float>);
        model.Model.GetFeatureWeights(ref gains);
        // One engine per model: building a data view and transform per call cost milliseconds, which
        // dominated a search that scores a pool on every proposal. Strategies are single-threaded.
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: schema);
        return new GbdtRegressor(engine, gains.DenseValues().ToArray());
    }

    public float[] Predict(IReadOnlyList<float[]> features)
    {
        var row = new Row();
        var scores = new float[features.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            row.Features = features[i];
            scores[i] = _engine.Predict(row).Score;
        }
        return scores;
    }

    /// <summary>FastTree's split-gain importance of each feature.</summary>
    public IReadOnlyList<float> FeatureGains => _gains;

    private static SchemaDefinition Schema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }
}

/// <param name="Trees">boosting rounds</param>
/// <param name="Leaves">leaves per tree</param>
/// <param name="MinLeafExamples">fewest training rows in a leaf (small: the data sets are small)</param>
/// <param name="LearningRate">shrinkage of each tree</param>
public sealed record GbdtOptions(int Trees = 50, int Leaves = 8, int MinLeafExamples = 2, double LearningRate = 0.2);
