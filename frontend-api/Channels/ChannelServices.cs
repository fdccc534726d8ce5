using Flexoraa.FrontendApi.Webhooks;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>Registers channel accounts and the Meta app credentials webhooks are checked with.</summary>
public static class ChannelServices
{
    public static WebApplicationBuilder AddFlexoraaChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection(MetaSettings.Section).Get<MetaSettings>() ?? new MetaSettings());
        builder.Services.AddSingleton<MetaAppCredentials>();
        builder.Services.AddSingleton<IMetaAppCredentials>(services => services.GetRequiredService<MetaAppCredentials>());
        builder.Services.AddSingleton<ChannelRouting>();
        return builder;
    }
}
