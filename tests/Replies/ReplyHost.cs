using Flexoraa.Tests.ChannelAccounts;
using Flexoraa.Tests.Infrastructure;

namespace Flexoraa.Tests.Replies;

/// <summary>
/// One frontend for a reply test class, with the deployment's Meta app (so test webhooks are signed with
/// <see cref="MetaAppFrontend.AppSecret"/>), pointed at a <see cref="FakeGraphApi"/>, with short backoffs so retries take
/// milliseconds. A subclass adds configuration (the sandbox tests turn the sandbox on).
/// </summary>
public class ReplyHost : IAsyncLifetime
{
    private readonly string[] _extraArgs;

    public ReplyHost() : this([])
    {
    }

    protected ReplyHost(string[] extraArgs) => _extraArgs = extraArgs;

    public FakeGraphApi Graph { get; private set; } = null!;
    public TestFrontend Frontend { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "flexoraa-reply-tests-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Graph = await FakeGraphApi.StartAsync();
        Frontend = await TestFrontend.StartAsync(await TestPostgres.CreateDatabaseAsync(), DataDirectory, null,
        [
            $"--Flexoraa:Meta:AppSecret={MetaAppFrontend.AppSecret}",
            $"--Flexoraa:Meta:GraphApiBaseUrl={Graph.BaseUrl}",
            $"--Flexoraa:Meta:GraphApiVersion={FakeGraphApi.Version}",
            "--Flexoraa:Meta:GraphApiRetryBaseDelay=00:00:00.020",
            "--Flexoraa:Meta:GraphApiMaxRetryDelay=00:00:00.500",
            "--Flexoraa:Meta:GraphApiPairRateLimitDelay=00:00:00.010",
            "--Flexoraa:Outbound:RetryBaseDelay=00:00:00.100",
            "--Flexoraa:Outbound:GiveUpAfter=00:00:30",
            "--Flexoraa:Outbound:MaxUploadBytes=2000000",
            .. _extraArgs,
        ]);
    }

    public async Task DisposeAsync()
    {
        await Frontend.DisposeAsync();
        await Graph.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
