using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasActors.Training.Supernet;

/// <summary>
/// The one-batch steps of supernet training, shared so that the rounds the actors run (<see cref="TorchSupernet"/>,
/// <see cref="DartsSupernet"/>) and the in-process runs of bench/SupernetBench (<see cref="Nb201OneShot"/>) step alike.
/// The optimisers are passed in: a round's live for that round (shards keep weights, not moments), the bench's for the
/// whole run. Batches are drawn with the generator given; each step frees its tensors.
/// </summary>
internal static class SupernetBatchSteps
{
    /// <summary>One weight step of the module's current path on a training batch; returns the batch's loss and size.</summary>
    public static (double Loss, int Size) PathStep(SupernetModule module, OptimizerHelper optimizer, SupernetData data, int batchSize, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (x, y, size) = data.TrainBatch(batchSize, generator);
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(module.forward(x), y);
        loss.backward();
        optimizer.step();
        return (loss.item<float>(), size);
    }

    /// <summary>
    /// The module's current path's accuracy on one random validation batch, batch norm on the batch's own statistics (the
    /// supernet's running ones mix every path): weight-sharing MANAS' reward.
    /// </summary>
    public static double ValidationBatchAccuracy(SupernetModule module, SupernetData data, int batchSize, Generator generator)
    {
        module.train();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (x, y, _) = data.ValidationBatch(batchSize, generator);
        return module.forward(x).argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>
    /// One first-order DARTS alternation: a weight step on a training batch with softmax(α) fixed, then an α step on a
    /// validation batch with the weights fixed (∂L_val/∂α at the current weights, no unrolled step). Returns both losses
    /// and the training batch's size.
    /// </summary>
    public static (double TrainLoss, double ValidationLoss, int Size) DartsAlternation(Nb201Supernet supernet, Parameter alpha,
        OptimizerHelper weightSteps, OptimizerHelper alphaSteps, SupernetData data, int batchSize, Generator generator)
    {
        supernet.train();
        double trainLoss, validationLoss;
        int size;
        using (var scope = NewDisposeScope())
        {
            (var x, var y, size) = data.TrainBatch(batchSize, generator);
            weightSteps.zero_grad();
            var loss = nn.functional.cross_entropy(supernet.MixedForward(x, softmax(alpha, 1).detach()), y);
            loss.backward();
            weightSteps.step();
            trainLoss = loss.item<float>();
        }
        using (var scope = NewDisposeScope())
        {
            var (x, y, _) = data.ValidationBatch(batchSize, generator);
            alphaSteps.zero_grad();
            var loss = nn.functional.cross_entropy(supernet.MixedForward(x, softmax(alpha, 1)), y);
            loss.backward();
            alphaSteps.step();
            weightSteps.zero_grad(); // the weights' gradients from the α step are not used
            validationLoss = loss.item<float>();
        }
        return (trainLoss, validationLoss, size);
    }
}
