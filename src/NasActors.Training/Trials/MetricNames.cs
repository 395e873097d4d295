using System.Globalization;

namespace NasActors.Training.Trials;

/// <summary>
/// Stable names of the metrics a trained trial reports in <c>TrialMetrics.Extra</c>; objectives,
/// results tables and exports read them by these names, so they never change.
/// </summary>
public static class MetricNames
{
    public const string TrainLoss = "train_loss";
    /// <summary>Mean training wall time per epoch (seconds), validation excluded.</summary>
    public const string EpochSeconds = "epoch_seconds";
    public const string Epochs = "epochs";
    /// <summary>Multiply-accumulates of one forward pass of one example, counted from the built model.</summary>
    public const string Flops = "flops";
    /// <summary>Median inference latency (ms) at batch 1 on the trainer's device.</summary>
    public const string LatencyBatch1 = "latency_ms_b1";
    /// <summary>Median inference latency (ms) at the training batch size (<see cref="LatencyBatchSize"/>).</summary>
    public const string LatencyBatch = "latency_ms_batch";
    public const string LatencyBatchSize = "latency_batch_size";
    /// <summary>Growth of the process working set over the trial (MB; host memory, on every device).</summary>
    public const string WorkingSetDeltaMb = "working_set_delta_mb";
    /// <summary>Set when a re-issued trial continued from an epoch checkpoint: the epoch it resumed after.</summary>
    public const string ResumedFromEpoch = "resumed_from_epoch";
    /// <summary>Set when a promotion continued the same configuration's shorter trial: the epochs that trial had trained.</summary>
    public const string ContinuedFromEpoch = "continued_from_epoch";

    public static string TrainLossEpoch(int epoch) => $"train_loss_epoch_{Number(epoch)}";
    /// <summary>Accuracy on the training batches of an epoch as they were trained (no extra pass; dropout on).</summary>
    public static string TrainAccuracyEpoch(int epoch) => $"train_accuracy_epoch_{Number(epoch)}";
    public static string ValidationLossEpoch(int epoch) => $"val_loss_epoch_{Number(epoch)}";
    public static string ValidationAccuracyEpoch(int epoch) => $"val_accuracy_epoch_{Number(epoch)}";
    public static string EpochSecondsOf(int epoch) => $"epoch_seconds_{Number(epoch)}";

    private static string Number(int epoch) => epoch.ToString(CultureInfo.InvariantCulture);
}
