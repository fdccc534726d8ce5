using Flexoraa.FrontendApi.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flexoraa.FrontendApi.Channels;

/// <summary>Registers channel accounts and what the Meta webhooks need: app credentials, the account-owner cache, dead letters.</summary>
public static class ChannelServices
{
    public static WebApplicationBuilder AddFlexoraaChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection(MetaSettings.Section).Get<MetaSettings>() ?? new MetaSettings());
        builder.Services.AddSingleton<MetaAppCredentials>();
        builder.Services.AddSingleton<IMetaAppCredentials>(services => services.GetRequiredService<MetaAppCredentials>());
        builder.Services.AddSingleton<ChannelAccountClaims>();
        // The webhooks' owner cache; channel changes made here drop their entry so this host's next webhook sees them.
        builder.Services.TryAddSingleton<ChannelAccountOwnerCache>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(WebhookDeadLetterSettings.Section).Get<WebhookDeadLetterSettings>() ?? new WebhookDeadLetterSettings());
        builder.Services.TryAddSingleton<WebhookDeadLetters>();
        builder.Services.TryAddSingleton<WhatsAppContactDirectory>();
        return builder;
    }
}
