using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Flexoraa.Silo.Telemetry;

/// <summary>
/// The log levels Flexoraa runs with unless configuration says otherwise. They are a configuration source of the lowest
/// precedence rather than <c>appsettings.json</c> alone, because that file is read from the content root — the working
/// directory — and a host started from anywhere else (a container's entry point, the benchmark) would otherwise log every
/// HTTP request, every endpoint execution and every authorization check at Information. Request logging comes back with
/// <c>Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information</c>.
/// </summary>
public static class LogLevelDefaults
{
    /// <summary>
    /// Orleans 10.4.2's <c>Watchdog.Start</c> starts its platform thread before it sets the component check's timestamp,
    /// so on a busy machine the first platform tick measures from timestamp 0, the monotonic clock's origin (the machine's
    /// boot), and warns at every other start that the "participant check thread has not completed for" the machine's
    /// uptime. Real stalls are not lost: the watchdog also records them as health events, which
    /// <c>LocalSiloHealthMonitor</c> reports in its own "local health is degraded" warning; the watchdog's internal
    /// errors still log.
    /// </summary>
    public const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",
        [$"Logging:LogLevel:{WatchdogCategory}"] = "Error",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>Puts the defaults beneath every source already added, so each of them still overrides any default.</summary>
    public static void AddFlexoraaLogLevelDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
