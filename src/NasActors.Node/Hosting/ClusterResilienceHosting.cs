using System.Security.Cryptography.X509Certificates;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using NasActors.Node.Configuration;

namespace NasActors.Node.Hosting;

/// <summary>
/// Remoting and membership for nodes that train: the bind address (loopback unless configured), TLS with a
/// certificate every node shares, failure detection that survives long GC and training pauses, and a
/// split-brain resolver so that only one side of a partition keeps running searches.
/// </summary>
public static class ClusterResilienceHosting
{
    /// <summary>Remoting on <see cref="NodeOptions.Hostname"/>:<see cref="NodeOptions.Port"/>, with TLS when <see cref="NodeOptions.Tls"/> is set.</summary>
    public static AkkaConfigurationBuilder WithNasRemoting(this AkkaConfigurationBuilder builder, NodeOptions options)
    {
        var remote = new RemoteOptions
        {
            HostName = options.Hostname,
            Port = options.Port,
            PublicHostName = options.PublicHostname
        };
        if (options.Tls is { } tls)
        {
            var certificate = LoadCertificate(tls);
            remote.EnableSsl = true;
            remote.Ssl = new SslOptions
            {
                X509Certificate = certificate,
                SuppressValidation = false,
                RequireMutualAuthentication = true,
                // Nodes share one (often self-signed) certificate: a peer is trusted exactly when it presents
                // that certificate, checked in both directions, whatever name or address it connects from.
                CustomValidator = CertificateValidation.PinnedCertificate(certificate.Thumbprint)
            };
        }
        return builder.WithRemoting(remote);
    }

    /// <summary>Failure detector, split-brain resolver and down-removal margin from <see cref="NodeOptions.Resilience"/>.</summary>
    public static AkkaConfigurationBuilder WithNasClusterResilience(this AkkaConfigurationBuilder builder, NodeOptions options)
    {
        var r = options.Resilience;
        var pause = Durations.ToHocon(r.AcceptableHeartbeatPause);
        var stable = Durations.ToHocon(r.StableAfter);
        return builder.AddHocon($$"""
            akka.cluster {
              downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
              split-brain-resolver {
                active-strategy = {{r.SplitBrainStrategy}}
                stable-after = {{stable}}
                down-all-when-unstable = on
              }
              # Shards and singletons on a downed node move only after this margin, so the downed side has stopped them first.
              down-removal-margin = {{stable}}
              failure-detector {
                heartbeat-interval = {{Durations.ToHocon(r.HeartbeatInterval)}}
                acceptable-heartbeat-pause = {{pause}}
              }
            }
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = {{pause}}
            """, HoconAddMode.Prepend);
    }

    private static X509Certificate2 LoadCertificate(RemotingTls tls)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new NodeConfigurationException(
                $"{tls.CertificatePath}: Remoting:Tls:CertificatePath: not a PKCS#12 certificate this password opens ({e.Message.TrimEnd('.')})");
        }
    }
}
