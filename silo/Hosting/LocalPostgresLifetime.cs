using Microsoft.Extensions.Hosting;

namespace Flexoraa.Silo.Hosting;

/// <summary>
/// Stops local mode's private PostgreSQL when the host stops. Registered before Orleans so that, as hosted
/// services stop in reverse order, the silo has finished writing before the database goes away.
/// </summary>
public sealed class LocalPostgresLifetime(FlexoraaDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await database.DisposeAsync();
}
