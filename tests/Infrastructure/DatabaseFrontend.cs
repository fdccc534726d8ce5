namespace Flexoraa.Tests.Infrastructure;

/// <summary>
/// A class fixture: one frontend co-hosting a silo on a database of its own, shared by the tests of one class.
/// Subclasses add host arguments.
/// </summary>
public class DatabaseFrontend : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;
    public TestFrontend Frontend { get; private set; } = null!;

    protected virtual string[] Arguments => [];

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        Frontend = await TestFrontend.StartAsync(ConnectionString, null, null, Arguments);
    }

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}
