namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// One frontend on one fresh database for a whole test class (<c>IClassFixture&lt;FrontendFixture&gt;</c>), instead of
/// one per test. Tests stay independent by signing up their own users and tenants.
/// </summary>
public sealed class FrontendFixture : IAsyncLifetime
{
    public TestFrontend Frontend { get; private set; } = null!;

    public async Task InitializeAsync() => Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}
