using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Team;

/// <summary>
/// One frontend and database for all tests of a class. xunit makes a class instance per test, so starting the host in
/// the test class itself would start one per test; every team test makes its own owner and tenant, so sharing is safe.
/// </summary>
public sealed class TeamFrontendFixture : IAsyncLifetime
{
    public TestFrontend Frontend { get; private set; } = null!;

    public async Task InitializeAsync() => Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}
