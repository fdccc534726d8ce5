using Flexoraa.Leads.Fields;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The stores of custom fields, bulk actions and privacy requests, for a silo and for a frontend alike.</summary>
public static class LeadOperationServices
{
    public static IServiceCollection AddLeadOperationStores(this IServiceCollection services)
    {
        services.TryAddSingleton<LeadFieldStore>();
        services.TryAddSingleton<Flexoraa.Leads.Bulk.LeadBulkActionStore>();
        return services;
    }
}
