using TorchSharp;
using static TorchSharp.torch;

namespace NasActors.Training.Models;

/// <summary>
/// An activation module that shows its input to an optional observer before applying itself. The
/// NASWOT proxy reads the activation pattern through it. (TorchSharp runs forward hooks only for
/// <c>call()</c>, and the models here call <c>forward()</c>, so hooks would never fire.)
/// Parameterless: wrapping changes no state-dict key.
/// </summary>
public sealed class ObservedActivation : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> activation;

    public ObservedActivation(nn.Module<Tensor, Tensor> activation) : base(nameof(ObservedActivation))
    {
        this.activation = activation;
        RegisterComponents();
    }

    public static ObservedActivation Relu() => new(nn.ReLU());

    /// <summary>Called with each input (the pre-activation) while set; null in normal use.</summary>
    public Action<Tensor>? Observer { get; set; }

    public override Tensor forward(Tensor input)
    {
        Observer?.Invoke(input);
        return activation.forward(input);
    }
}
