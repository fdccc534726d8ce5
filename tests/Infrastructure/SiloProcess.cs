using System.Diagnostics;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// A real <c>Flexoraa.Silo</c> process in cluster mode, so a fault test can kill it the hard way (SIGKILL):
/// no graceful shutdown, no goodbye to the membership table, queues and activations simply gone.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process) => _process = process;

    public static SiloProcess Start(string connectionString, string clusterId, string serviceId, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloAssembly());
        foreach (var arg in new[]
        {
            $"--ConnectionStrings:Postgres={connectionString}", $"--Orleans:ClusterId={clusterId}", $"--Orleans:ServiceId={serviceId}",
            $"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}", "--Logging:LogLevel:Default=Warning",
        }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process);
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>The silo built alongside the tests, in the same configuration (Debug or Release).</summary>
    private static string SiloAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "silo", "bin", configuration, "net10.0", "Flexoraa.Silo.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("Flexoraa.Silo.dll is not built; run the tests through Flexoraa.sln so the silo is built too.");
    }
}
