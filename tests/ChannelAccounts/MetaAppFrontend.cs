using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.ChannelAccounts;

/// <summary>
/// One frontend (co-hosting a silo, on its own database) for a whole test class, configured with a deployment-wide
/// Meta app. Tests stay apart by working in tenants and accounts of their own.
/// </summary>
public sealed class MetaAppFrontend : IAsyncLifetime
{
    public const string AppSecret = "deployment-app-secret-5f0c1a";
    public const string VerifyToken = "deployment-verify-token-77";

    public TestFrontend Frontend { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), extraArgs:
        [
            $"--Flexoraa:Meta:AppSecret={AppSecret}",
            $"--Flexoraa:Meta:VerifyToken={VerifyToken}",
        ]);

    public async Task DisposeAsync() => await Frontend.DisposeAsync();
}
