using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flexoraa.FrontendApi.Leads;

public static class LeadsSetup
{
    public static IServiceCollection AddFlexoraaLeads(this IServiceCollection services)
    {
        services.AddSingleton<LeadReadModel>();
        services.TryAddSingleton<Flexoraa.Leads.Import.LeadImportStore>();
        services.TryAddSingleton<Flexoraa.Leads.Scoring.ScoringRulesStore>();
        services.AddOptions<Flexoraa.Leads.Import.LeadImportSettings>().BindConfiguration(Flexoraa.Leads.Import.LeadImportSettings.Section);
        return services;
    }
}
