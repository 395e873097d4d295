using NasActors.Core.Randomness;

namespace NasActors.Core.Tests.Trials;

public class TrialRecordTests
{
    [Fact]
    public void A_trial_survives_the_trip_through_plain_data_with_its_whole_fidelity()
    {
        var space = new Nb201Space();
        var genotype = space.Sample(new SeededRandom(3));
        var request = new TrialRequest(9, genotype, new Fidelity(12, 0.5) { Resolution = 16 }, 42);

        var back = TrialRecord.From(request).ToRequest(space);

        Assert.Equal(request.Genotype, back.Genotype);
        Assert.Equal(request.Fidelity, back.Fidelity);
        Assert.Equal(16, back.Fidelity.Resolution);
        Assert.Equal(request.Seed, back.Seed);
    }

    [Fact]
    public void Strategy_snapshots_keep_the_resolution_and_read_older_ones_without_it()
    {
        var space = new Nb201Space();
        var request = new TrialRequest(1, space.Sample(new SeededRandom(1)), new Fidelity(4) { Resolution = 8 }, 5);
        Assert.Equal(8, TrialJson.FromJson(TrialJson.ToJson(request), space).Fidelity.Resolution);

        var older = TrialJson.ToJson(request with { Fidelity = new Fidelity(4) });
        Assert.Null(TrialJson.FromJson(older, space).Fidelity.Resolution);
    }
}
