using System.Net;
using System.Net.Sockets;
using Flexoraa.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Flexoraa.Tests.Foundation;

/// <summary>How local mode chooses its silo and gateway ports: configuration wins, else free ones, remembered while free.</summary>
public sealed class LocalSiloPortsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "flexoraa-ports-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Without_configuration_the_ports_are_free_distinct_and_not_orleans_defaults()
    {
        var chosen = LocalSiloPorts.Choose(new ClusterSettings(), Configuration(), _dataDirectory);

        Assert.NotEqual(chosen.SiloPort, chosen.GatewayPort);
        Assert.DoesNotContain(chosen.SiloPort, new[] { 11111, 30000 });
        Assert.DoesNotContain(chosen.GatewayPort, new[] { 11111, 30000 });
        using var silo = new TcpListener(IPAddress.Loopback, chosen.SiloPort);
        using var gateway = new TcpListener(IPAddress.Loopback, chosen.GatewayPort);
        silo.Start();
        gateway.Start();
    }

    [Fact]
    public void The_next_start_takes_the_remembered_ports_while_they_are_free_and_new_ones_when_taken()
    {
        var first = LocalSiloPorts.Choose(new ClusterSettings(), Configuration(), _dataDirectory);
        var again = LocalSiloPorts.Choose(new ClusterSettings(), Configuration(), _dataDirectory);
        Assert.Equal((first.SiloPort, first.GatewayPort), (again.SiloPort, again.GatewayPort));

        using var taken = new TcpListener(IPAddress.Loopback, first.SiloPort);
        taken.Start();
        var moved = LocalSiloPorts.Choose(new ClusterSettings(), Configuration(), _dataDirectory);

        Assert.NotEqual(first.SiloPort, moved.SiloPort);
        Assert.Equal(first.GatewayPort, moved.GatewayPort);
    }

    [Fact]
    public void Configured_ports_win_even_when_they_are_orleans_defaults_or_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var settings = ClusterSettings.From(Configuration(("Orleans:SiloPort", takenPort.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var chosen = LocalSiloPorts.Choose(settings, Configuration(("Orleans:SiloPort", takenPort.ToString(System.Globalization.CultureInfo.InvariantCulture))), _dataDirectory);

        Assert.Equal(takenPort, chosen.SiloPort);
        Assert.NotEqual(30000, chosen.GatewayPort);
        var both = Configuration(("Orleans:SiloPort", "11111"), ("Orleans:GatewayPort", "30000"));
        Assert.Equal((11111, 30000), (LocalSiloPorts.Choose(ClusterSettings.From(both), both, _dataDirectory) is var c ? (c.SiloPort, c.GatewayPort) : default));
    }
}
