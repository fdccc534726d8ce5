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
    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>Puts the defaults beneath every source already added, so each of them still overrides any default.</summary>
    public static void AddFlexoraaLogLevelDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
