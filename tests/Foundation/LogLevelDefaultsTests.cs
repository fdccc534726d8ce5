using Flexoraa.Silo.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Tests.Foundation;

/// <summary>Hosts log quietly wherever they are started from, and configuration still decides.</summary>
public sealed class LogLevelDefaultsTests
{
    [Fact]
    public void Without_any_other_source_requests_and_framework_chatter_are_not_logged_at_information()
    {
        var configuration = new ConfigurationBuilder();
        configuration.AddFlexoraaLogLevelDefaults();

        var built = configuration.Build();

        Assert.Equal("Warning", built["Logging:LogLevel:Microsoft.AspNetCore"]);
        Assert.Equal("Information", built["Logging:LogLevel:Default"]);
    }

    [Fact]
    public void Every_source_added_before_or_after_still_overrides_the_defaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Orleans"] = "Information" });
        configuration.AddFlexoraaLogLevelDefaults();
        configuration.AddCommandLine(["--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information"]);

        var built = configuration.Build();

        Assert.Equal("Information", built["Logging:LogLevel:Orleans"]);
        Assert.Equal("Information", built["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"]);
        Assert.Equal("Warning", built["Logging:LogLevel:Microsoft.AspNetCore"]);
    }

    [Fact]
    public void Orleans_watchdog_warnings_are_off_by_default_because_its_start_up_race_reports_the_machines_uptime_as_a_stall()
    {
        var configuration = new ConfigurationBuilder();
        configuration.AddFlexoraaLogLevelDefaults();
        using var logs = LoggerFactory.Create(l => l.AddConfiguration(configuration.Build().GetSection("Logging")).AddProvider(new Infrastructure.CapturedLogs()));

        var watchdog = logs.CreateLogger(LogLevelDefaults.WatchdogCategory);
        var membership = logs.CreateLogger("Orleans.Runtime.MembershipService.LocalSiloHealthMonitor");

        Assert.Equal("Orleans.Runtime.Watchdog", LogLevelDefaults.WatchdogCategory);
        Assert.False(watchdog.IsEnabled(LogLevel.Warning));
        Assert.True(watchdog.IsEnabled(LogLevel.Error));
        Assert.True(membership.IsEnabled(LogLevel.Warning));
    }
}
