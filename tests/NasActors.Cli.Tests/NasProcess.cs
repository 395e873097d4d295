using System.Diagnostics;
using System.Text;

namespace NasActors.Cli.Tests;

/// <summary>The real `nas` program (the CLI's build output) started as a child process.</summary>
public sealed class NasProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errorLines = [];

    private NasProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data, error: true);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the program wrote to stderr, line by line.</summary>
    public IReadOnlyList<string> ErrorLines { get { lock (_output) return _errorLines.ToArray(); } }

    public static NasProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    public static NasProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start(workingDirectory, environment, input: null, args);

    /// <summary>Starts the program with <paramref name="input"/> as its stdin (then closed), as `nas … &lt; file` would.</summary>
    public static NasProcess StartWithInput(string workingDirectory, string input, params string[] args) => Start(workingDirectory, null, input, args);

    private static NasProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string? input, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(NasDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var nas = new NasProcess(Process.Start(info)!);
        if (input is not null)
        {
            nas._process.StandardInput.Write(input);
            nas._process.StandardInput.Close();
        }
        return nas;
    }

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var nas = Start(workingDirectory, args);
        var code = await nas.WaitForExitAsync(timeout);
        return (code, nas.Output);
    }

    /// <summary>Runs to the end: exit code, all output, and stderr's lines on their own.</summary>
    public static async Task<NasResult> RunToEndAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var nas = Start(workingDirectory, args);
        var code = await nas.WaitForExitAsync(timeout);
        return new NasResult(code, nas.Output, nas.ErrorLines);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nas did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of output satisfies <paramref name="match"/>.</summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_output)
                if (_lines.Any(match)) return;
            if (_process.HasExited) throw new InvalidOperationException($"nas exited early with {_process.ExitCode}; output:\n{Output}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"expected output not seen within {timeout}; output:\n{Output}");
    }

    public void KillHard() => _process.Kill(entireProcessTree: true); // SIGKILL on Linux

    public void Signal(string signal) => Process.Start("kill", ["-" + signal, _process.Id.ToString()])!.WaitForExit();

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line, bool error = false)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add(line);
            if (error) _errorLines.Add(line);
        }
    }

    private static string NasDll
    {
        get
        {
            // tests/NasActors.Cli.Tests/bin/<Configuration>/<tfm>/ → src/NasActors.Cli/bin/<Configuration>/<tfm>/nas.dll
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var tfm = here.Name;
            var configuration = here.Parent!.Name;
            var dll = Path.Combine(RepoPaths.Root, "src", "NasActors.Cli", "bin", configuration, tfm, "nas.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the CLI first: {dll} is missing");
        }
    }
}

public sealed record NasResult(int ExitCode, string Output, IReadOnlyList<string> ErrorLines);
