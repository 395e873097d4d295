using System.Diagnostics;
using NasActors.Training.Models;
using static TorchSharp.torch;

namespace NasActors.Training.Metrics;

/// <summary>
/// Inference latency of a network on the trainer's device: eval mode, no gradients, a few warm-up
/// passes (allocator and kernel selection), then the median of <see cref="Repeats"/> timed passes on
/// random input. CUDA work is asynchronous, so each timed pass ends with a synchronise there.
/// </summary>
public sealed record LatencyMeter(int Warmup = 3, int Repeats = 10)
{
    public double MedianMilliseconds(CandidateNetwork model, int batch, Device device)
    {
        model.eval();
        using var _ = no_grad();
        using var input = randn([batch, .. model.InputShape], device: device);
        var times = new double[Repeats];
        for (var i = -Warmup; i < Repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var output = model.forward(input))
            {
                if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
            }
            if (i >= 0) times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return Repeats % 2 == 1 ? times[Repeats / 2] : (times[Repeats / 2 - 1] + times[Repeats / 2]) / 2;
    }
}
