using NasActors.Core.Trials;

namespace NasActors.Engine.Trainers;

/// <summary>
/// The progress sink a trainer hands its evaluator: keeps only the latest report (written from the training
/// thread, read by the actor when it heartbeats). Not <see cref="Progress{T}"/>, which posts to a synchronization context.
/// </summary>
internal sealed class LatestProgress : IProgress<TrialProgress>
{
    private TrialProgress? _latest;

    public TrialProgress? Latest => Volatile.Read(ref _latest);

    public void Report(TrialProgress value) => Volatile.Write(ref _latest, value);
}
