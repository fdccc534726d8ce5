using Flexoraa.ReadModels;
using Flexoraa.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flexoraa.Silo.Hosting;

/// <summary>The services grains and the API share: the database as the application role, read models and the clock.</summary>
public static class FlexoraaServices
{
    public static IServiceCollection AddFlexoraaDomain(this IServiceCollection services, FlexoraaDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(database.AppConnectionString);
            builder.ConfigureTracing(_ => { });
            return builder.Build();
        });
        services.AddSingleton<TenantDatabase>();
        services.AddSingleton<TenantMembersReadModel>();
        services.AddSingleton<Flexoraa.Conversations.InboxWriter>();
        services.AddSingleton<Flexoraa.Conversations.ContactLeadLinks>();
        return services;
    }
}
