namespace NasActors.Core.Tests.Spaces;

public sealed class JointSpaceTests
{
    private static JointSpace Joint(bool merge = false) => new(new Nb201Space(mergeIsomorphic: merge),
    [
        new LogUniformDecision("lr", 1e-4, 1e-1),
        new LogUniformDecision("weight_decay", 1e-6, 1e-2),
        new CategoricalDecision("batch_size", ["32", "64", "128"]),
        new CategoricalDecision("epochs", ["12", "200"])
    ]);

    [Fact]
    public void Architecture_comes_first_then_hyperparameters()
    {
        var space = Joint();
        var g = space.Create([3, 3, 4, 1, 3, 1, 0.01, 5e-4, 1, 0]);
        Assert.Equal("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|;lr=0.01;weight_decay=0.0005;batch_size=64;epochs=12", g.Canonical);
        Assert.Equal(0.01, space.Hyperparameter(g, "lr"));
        Assert.Equal(64, space.Hyperparameter(g, "batch_size"));
        Assert.Null(space.Hyperparameter(g, "momentum"));
        var arch = space.Architecture(g);
        Assert.Equal(new Nb201Space().Parse(arch.Canonical), arch);
        Assert.Equal(new Nb201Space().ParameterCount(arch), space.ParameterCount(g));
    }

    [Fact]
    public void The_architecture_part_is_canonicalised_by_its_own_space()
    {
        var space = Joint(merge: true);
        var a = space.Create([0, 3, 2, 1, 0, 3, 0.01, 5e-4, 1, 0]);
        var b = space.Create([0, 3, 4, 1, 0, 3, 0.01, 5e-4, 1, 0]);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_hyperparameter_may_not_shadow_an_architecture_decision() =>
        Assert.Throws<ArgumentException>(() => new JointSpace(new Nb201Space(), [new LogUniformDecision("edge10", 1, 2)]));
}
