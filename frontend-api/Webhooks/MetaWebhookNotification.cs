using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flexoraa.FrontendApi.Webhooks;

/// <summary>
/// The shape of a Meta webhook POST, for the OpenAPI document only: the endpoint verifies the signature over the raw
/// bytes and parses them itself (<c>MetaWebhookParser</c>), so this type is never bound.
/// </summary>
[Description("A Meta webhook delivery: the subscribed object and its entries, as Meta sends them.")]
public sealed record MetaWebhookNotification(
    [property: JsonPropertyName("object"), Description("What the subscription is for: whatsapp_business_account (WhatsApp), page (Messenger) or instagram (Instagram).")] string SubscribedObject,
    [property: Description("One entry per account (WhatsApp business account, Page or Instagram account), each with 'id', 'time' and its 'changes' (WhatsApp) or 'messaging' (Messenger, Instagram) events.")] IReadOnlyList<JsonElement> Entry);
