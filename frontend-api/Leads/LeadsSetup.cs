namespace Flexoraa.FrontendApi.Leads;

public static class LeadsSetup
{
    public static IServiceCollection AddFlexoraaLeads(this IServiceCollection services) => services.AddSingleton<LeadReadModel>();
}
