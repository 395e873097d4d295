using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NasActors.Node.Configuration;
using NasActors.Node.Hosting;

namespace NasActors.Node.Tests.Cluster;

/// <summary>
/// Remoting TLS with a certificate the test generates: two nodes holding it form a cluster on loopback;
/// a node holding another certificate, or none, is refused.
/// </summary>
public sealed class TlsClusterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("nas-tls-").FullName;
    private readonly List<IHost> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts) host.StopAsync().Wait(TimeSpan.FromSeconds(30));
        foreach (var host in _hosts) host.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Nodes_sharing_the_certificate_form_a_cluster_and_others_are_refused()
    {
        var shared = Certificate("cluster.pfx", "pfx-secret");
        var seedPort = FreePort();
        var tlsNode = new NodeOptions { Tls = shared };
        var seed = new[] { tlsNode.NodeAddress("127.0.0.1", seedPort) };

        var first = await Start(tlsNode with { Port = seedPort, SeedNodes = seed });
        var second = await Start(tlsNode with { Port = FreePort(), SeedNodes = seed });
        await Eventually(() => UpMembers(first) == 2 && UpMembers(second) == 2);

        var stranger = await Start(new NodeOptions { Port = FreePort(), SeedNodes = seed, Tls = Certificate("other.pfx", "other") });
        // Without a certificate a node speaks plain akka.tcp to the seed's TLS port.
        var plain = await Start(new NodeOptions { Port = FreePort(), SeedNodes = [new NodeOptions().NodeAddress("127.0.0.1", seedPort)] });
        var plainFailures = Failures(plain);

        // A node whose certificate the seed does not pin fails the handshake and shuts itself down.
        await stranger.WhenTerminated.WaitAsync(Patience);
        Assert.Equal("TlsHandshakeFailureReason", CoordinatedShutdown.Get(stranger).ShutdownReason?.GetType().Name);
        // A plain node keeps trying and failing to join.
        await plainFailures.Task.WaitAsync(Patience);
        Assert.NotEqual(MemberStatus.Up, Akka.Cluster.Cluster.Get(plain).SelfMember.Status);
        Assert.Equal(2, UpMembers(first));
    }

    [Fact]
    public async Task Failure_detection_and_split_brain_settings_reach_the_actor_system()
    {
        var options = new NodeOptions
        {
            Resilience = new ClusterResilience { AcceptableHeartbeatPause = TimeSpan.FromSeconds(45), StableAfter = TimeSpan.FromSeconds(25) }
        };

        var config = (await Start(options)).Settings.Config;

        Assert.Equal(TimeSpan.FromSeconds(45), config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(TimeSpan.FromSeconds(45), config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(25), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(TimeSpan.FromSeconds(25), config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.Contains("SplitBrainResolverProvider", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Fact]
    public async Task A_certificate_the_password_does_not_open_is_one_clear_configuration_error()
    {
        var certificate = Certificate("cluster.pfx", "right") with { Password = "wrong" };

        var error = await Assert.ThrowsAsync<NodeConfigurationException>(() => Start(new NodeOptions { Tls = certificate }));

        Assert.StartsWith($"{certificate.CertificatePath}: Remoting:Tls:CertificatePath: not a PKCS#12 certificate this password opens", error.Message);
    }

    private async Task<ActorSystem> Start(NodeOptions options)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka(NodeOptions.SystemName, (akka, _) => akka
            .WithNasRemoting(options)
            .WithNasClustering(options)
            .WithNasClusterResilience(options));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            // A host that failed to start cannot be stopped (the shared framework's Host.StopAsync throws then).
            host.Dispose();
            throw;
        }
        _hosts.Add(host);
        return host.Services.GetRequiredService<ActorSystem>();
    }

    private static int UpMembers(ActorSystem system) =>
        Akka.Cluster.Cluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up);

    /// <summary>Completes when this node reports that its attempts to join the seed node failed (it keeps retrying).</summary>
    private static TaskCompletionSource Failures(ActorSystem system)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = system.ActorOf(Props.Create(() => new JoinFailureListener(failed)));
        system.EventStream.Subscribe(listener, typeof(Warning));
        return failed;
    }

    private sealed class JoinFailureListener : ReceiveActor
    {
        public JoinFailureListener(TaskCompletionSource failed) =>
            Receive<Warning>(warning => warning.Message?.ToString()?.Contains("Couldn't join seed nodes") == true, _ => failed.TrySetResult());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(100, deadline.Token);
    }

    /// <summary>A self-signed certificate with a private key, written as a password-protected .pfx.</summary>
    private RemotingTls Certificate(string fileName, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=nas-cluster-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_folder, fileName);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new RemotingTls(path, password);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
