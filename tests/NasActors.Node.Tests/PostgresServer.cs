using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NasActors.Node.Tests;

/// <summary>
/// A throwaway PostgreSQL server for one test class: initdb into a temp folder, pg_ctl start
/// on a free loopback port, removed afterwards. As root (CI), the server runs as the
/// 'postgres' user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser = Environment.UserName == "root";

    public PostgresServer()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                   .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
               ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
        _folder = Directory.CreateTempSubdirectory("nas-pg-").FullName;
        Port = FreePort();
        var data = Path.Combine(_folder, "data");
        if (_asPostgresUser) Run("chown", "-R", "postgres", _folder);
        Pg("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        Start();
        Pg("createdb", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "nas");
    }

    public int Port { get; }

    /// <summary>Stops the server at once (like a crash or an outage); <see cref="Start"/> brings it back on the same port and data.</summary>
    public void Stop() => Pg("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");

    public void Start() => Pg("pg_ctl", "-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_folder} -c fsync=off", "start");

    public string ConnectionString => Connection("nas");

    /// <summary>Creates an empty database on this server and returns its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"nas_{Guid.NewGuid():N}";
        Pg("createdb", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", name);
        return Connection(name);
    }

    private string Connection(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    public void Dispose()
    {
        try { Stop(); }
        finally { Directory.Delete(_folder, recursive: true); }
    }

    private void Pg(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgresUser) Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else Run(path, args);
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
