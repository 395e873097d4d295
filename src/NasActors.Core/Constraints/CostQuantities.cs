namespace NasActors.Core.Constraints;

/// <summary>The costs of a network that constraints and objectives can name, all computed without training.</summary>
public static class CostQuantities
{
    public const string Params = "params";
    public const string Flops = "flops";
    public const string Latency = "latency";
    public static readonly IReadOnlyList<string> All = [Params, Flops, Latency];
}
