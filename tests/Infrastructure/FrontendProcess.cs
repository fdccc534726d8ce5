using System.Diagnostics;

namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// A real <c>Flexoraa.FrontendApi</c> host in its own process, so a fault test can kill it the hard way (SIGKILL): its
/// SignalR connections, its Orleans connection and its stream subscriptions are left behind without a goodbye.
/// </summary>
public sealed class FrontendProcess : IDisposable
{
    private readonly Process _process;

    private FrontendProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts a cluster-mode frontend on <paramref name="connectionString"/>: an Orleans client of the cluster, or with
    /// <paramref name="coHostSilo"/> a frontend that is itself one of its silos. Returns once it answers <c>/healthz</c>.
    /// </summary>
    public static async Task<FrontendProcess> StartAsync(string connectionString, string clusterId, bool coHostSilo, params string[] extraArgs)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly());
        foreach (var arg in new[]
        {
            $"--urls={baseAddress}", $"--ConnectionStrings:Postgres={connectionString}", $"--Orleans:ClusterId={clusterId}",
            $"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}", $"--Flexoraa:CoHostSilo={coHostSilo}",
            $"--Flexoraa:Auth:SigningKey={TestFrontend.SigningKey}", "--Logging:LogLevel:Default=Warning",
        }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the frontend process.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return new FrontendProcess(process, baseAddress);
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException("The frontend process did not start:\n" + string.Join('\n', output));
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>The frontend built alongside the tests, in the same configuration (Debug or Release).</summary>
    private static string Assembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "frontend-api", "bin", configuration, "net10.0", "Flexoraa.FrontendApi.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("Flexoraa.FrontendApi.dll is not built; run the tests through Flexoraa.sln so the frontend is built too.");
    }
}
