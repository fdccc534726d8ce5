using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.Media;
using Flexoraa.ReadModels;
using Flexoraa.Silo.DataProtection;
using Flexoraa.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Flexoraa.Silo.Hosting;

/// <summary>
/// The services grains and the API share: the database as the application role, read models, the clock, and Data
/// Protection with its key ring in PostgreSQL (one ring per deployment, so any host decrypts what another encrypted).
/// </summary>
public static class FlexoraaServices
{
    /// <summary>Data Protection isolates payloads by application name; every host of a deployment must use the same.</summary>
    public const string DataProtectionApplicationName = "Flexoraa";

    public static IServiceCollection AddFlexoraaDomain(this IServiceCollection services, FlexoraaDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(database.AppConnectionString);
            // The inbox writer's statements and the stores' queries repeat all day: prepare the frequent ones once per
            // connection instead of having PostgreSQL parse and plan them on every call (docs/benchmarks.md).
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 3;
            builder.ConfigureTracing(_ => { });
            return builder.Build();
        });
        services.AddSingleton<TenantDatabase>();
        services.AddSingleton<TenantMembersReadModel>();
        services.AddSingleton<Flexoraa.Assignment.AssignmentReadModel>();
        services.AddSingleton<Flexoraa.Conversations.InboxWriter>();
        // Registered before Orleans, so it stops after the silo (see InboxWriter).
        services.AddHostedService(provider => provider.GetRequiredService<Flexoraa.Conversations.InboxWriter>());
        services.AddSingleton<Flexoraa.Conversations.ContactLeadLinks>();
        services.AddSingleton<Flexoraa.Conversations.ConversationStore>();
        services.AddSingleton<Flexoraa.Conversations.MessageStore>();
        services.AddSingleton<Flexoraa.Tenants.TenantSearchLanguages>();
        services.AddSingleton<Flexoraa.Conversations.ConversationStores>();
        services.AddSingleton<Flexoraa.Leads.LeadStore>();
        services.AddSingleton<Flexoraa.Leads.PipelineStore>();
        services.AddOptions<Flexoraa.Leads.LeadEngagementSettings>().BindConfiguration(Flexoraa.Leads.LeadEngagementSettings.Section);
        services.AddSingleton<Flexoraa.Leads.Scoring.ScoringRulesStore>();
        services.AddSingleton<Flexoraa.Leads.Import.LeadImportStore>();
        services.AddLeadOperationStores();
        services.AddOptions<Flexoraa.Leads.Import.LeadImportSettings>().BindConfiguration(Flexoraa.Leads.Import.LeadImportSettings.Section);

        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((o, appDataSource) => o.XmlRepository = new PostgresXmlRepository(appDataSource));
        services.AddSingleton<ChannelSecretProtector>();
        services.AddSingleton<ChannelAccountStore>();

        // Inbound media: the Graph API client, the blob store (files under the data directory unless another
        // IMediaBlobStore is registered first), and what MediaFetchGrain needs.
        services.AddGraphApiClient();
        services.AddOptions<MediaSettings>().BindConfiguration(MediaSettings.Section);
        services.TryAddSingleton<IMediaBlobStore>(provider =>
            new FileSystemMediaBlobStore(provider.GetRequiredService<IOptions<MediaSettings>>().Value.Directory ?? Path.Combine(database.DataDirectory, "media")));
        services.AddSingleton<MediaObjectStore>();
        services.AddTransient<MediaFetcher>();

        // Messenger / Instagram contact profiles, looked up by ContactProfileGrain through the same Graph API client.
        services.AddOptions<Flexoraa.Contacts.ContactProfileSettings>().BindConfiguration(Flexoraa.Contacts.ContactProfileSettings.Section);
        services.AddTransient<Flexoraa.Contacts.ContactProfileLookup>();

        // Replies: the senders behind OutboundMessageGrain; the sandbox only ever applies by itself in local mode.
        services.AddOptions<Flexoraa.Outbound.OutboundSettings>().BindConfiguration(Flexoraa.Outbound.OutboundSettings.Section);
        services.AddSingleton(provider => new Flexoraa.Outbound.SandboxPolicy(
            provider.GetRequiredService<IOptions<Flexoraa.Outbound.OutboundSettings>>(), database.Mode == RunMode.Local,
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Flexoraa.Outbound.SandboxPolicy>>()));
        services.AddSingleton<Flexoraa.Outbound.ReplySandbox>();
        services.AddSingleton<Flexoraa.Outbound.OutboundMessageStore>();
        services.AddTransient<Flexoraa.Outbound.WhatsAppSender>();
        services.AddTransient<Flexoraa.Outbound.MessengerSender>();
        services.AddTransient<Flexoraa.Outbound.SandboxSender>();
        services.AddTransient<Flexoraa.Outbound.OutboundSenders>();
        return services;
    }
}
