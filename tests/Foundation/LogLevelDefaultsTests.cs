using Flexoraa.Silo.Telemetry;
using Microsoft.Extensions.Configuration;

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
}
