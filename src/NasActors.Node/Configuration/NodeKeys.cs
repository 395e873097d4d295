namespace NasActors.Node.Configuration;

/// <summary>
/// Every configuration key a node reads. `nas node` options map to some of them (the command line passes
/// them to <see cref="NodeConfiguration.Load"/> as overrides); cluster-config/README.md documents them all.
/// </summary>
public static class NodeKeys
{
    public const string Roles = "Node:Roles";               // --roles coordinator,trainer
    public const string Seeds = "Node:Seeds";               // --seeds host:port,...
    public const string Host = "Node:Host";                 // --host
    public const string PublicHost = "Node:PublicHost";
    public const string Port = "Node:Port";                 // --port
    public const string Storage = "Node:Storage";           // --store sqlite|postgres
    public const string ConnectionString = "Node:ConnectionString"; // --connection
    public const string ConnectionStringFile = "Node:ConnectionStringFile";
    public const string StoreDirectory = "Node:StoreDirectory";
    public const string ArtifactRoot = "Node:ArtifactRoot";
    public const string Trainers = "Node:Trainers";         // --trainers N|auto
    public const string Site = "Node:Site";                 // --site NAME
    public const string DrainBefore = "Node:DrainBefore";   // --drain-before DURATION
    public const string LogFile = "Node:LogFile";
    public const string QuarantineAfter = "Node:QuarantineAfter";       // infrastructure faults in a row that quarantine a trainer
    public const string QuarantineCooldown = "Node:QuarantineCooldown"; // how long an automatic quarantine lasts
    public const string AdminHost = "Admin:Host";           // loopback unless configured
    public const string AdminPort = "Admin:Port";           // --admin-port (default 9110; 0: no admin endpoint)
    public const string AdminToken = "Admin:Token";         // NAS__Admin__Token (never in a file layer)
    public const string AdminTokenFile = "Admin:TokenFile"; // --token-file
    public const string TlsCertificatePath = "Remoting:Tls:CertificatePath";
    public const string TlsPassword = "Remoting:Tls:Password";
    public const string TlsPasswordFile = "Remoting:Tls:PasswordFile";
    public const string HeartbeatInterval = "Cluster:HeartbeatInterval";
    public const string AcceptableHeartbeatPause = "Cluster:AcceptableHeartbeatPause";
    public const string StableAfter = "Cluster:StableAfter";
    public const string SplitBrainStrategy = "Cluster:SplitBrainStrategy";
}
