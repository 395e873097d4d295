namespace NasActors.Core.Trials;

/// <summary>
/// How far a trial has trained: reported by the evaluator as it goes, carried by the trainer's
/// heartbeats, so a trial that stops making progress (hung in native code, deadlocked) can be told
/// from one that is merely slow.
/// </summary>
public sealed record TrialProgress(int Epoch, int Batch);
