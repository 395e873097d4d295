namespace NasActors.Engine.Tests.Support;

public static class AkkaConfig
{
    /// <summary>In-memory journal and snapshots: shared by every actor of one test's system, lost with it.</summary>
    public const string InMemory = """
        akka.loglevel = WARNING
        akka.test.single-expect-default = 10s
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;
}
