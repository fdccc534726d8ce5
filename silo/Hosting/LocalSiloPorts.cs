using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Flexoraa.Silo.Hosting;

/// <summary>
/// Local mode's silo and gateway ports. Orleans' defaults (11111 and 30000) are what a cluster on the same machine uses,
/// so local mode takes free ports instead, unless <c>Orleans:SiloPort</c> / <c>Orleans:GatewayPort</c> are configured,
/// which always win. The ports are remembered in the data directory and taken again while free: a silo that comes back
/// on its old endpoint supersedes its previous run's membership entry at once, where a new endpoint would leave that
/// entry to be probed and voted dead first.
/// </summary>
public static class LocalSiloPorts
{
    public const string FileName = "orleans-ports";

    public static ClusterSettings Choose(ClusterSettings settings, IConfiguration configuration, string dataDirectory)
    {
        var siloConfigured = !string.IsNullOrWhiteSpace(configuration["Orleans:SiloPort"]);
        var gatewayConfigured = !string.IsNullOrWhiteSpace(configuration["Orleans:GatewayPort"]);
        if (siloConfigured && gatewayConfigured) return settings;

        var file = Path.Combine(dataDirectory, FileName);
        var remembered = Read(file);
        // Held open until both are chosen, so the two never come out the same; remembered ones are taken first, so a new
        // pick cannot land on one of them.
        using var held = new PortReservations();
        int? silo = siloConfigured ? settings.SiloPort : held.TryReuse(remembered?.Silo, gatewayConfigured ? settings.GatewayPort : null);
        int? gateway = gatewayConfigured ? settings.GatewayPort : held.TryReuse(remembered?.Gateway, silo);
        silo ??= held.PickFree(gateway);
        gateway ??= held.PickFree(silo);
        Write(file, silo.Value, gateway.Value);
        return settings with { SiloPort = silo.Value, GatewayPort = gateway.Value };
    }

    private static (int Silo, int Gateway)? Read(string file)
    {
        try
        {
            var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var silo) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var gateway)
                ? (silo, gateway)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Write(string file, int silo, int gateway)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, string.Create(CultureInfo.InvariantCulture, $"{silo} {gateway}\n"));
        }
        catch (IOException)
        {
            // Only a convenience for the next start; these ports work without it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Loopback listeners that keep chosen ports from being handed out twice while choosing.</summary>
    private sealed class PortReservations : IDisposable
    {
        private readonly List<TcpListener> _listeners = [];

        public int? TryReuse(int? remembered, int? other) =>
            remembered is { } port and > 0 and <= IPEndPoint.MaxPort && port != other && TryHold(port) ? port : null;

        public int PickFree(int? other)
        {
            while (true)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                _listeners.Add(listener);
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (port != other) return port;
            }
        }

        private bool TryHold(int port)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                listener.Dispose();
                return false;
            }
            _listeners.Add(listener);
            return true;
        }

        public void Dispose()
        {
            foreach (var listener in _listeners) listener.Dispose();
        }
    }
}
