namespace Flexoraa.FrontendApi.Inbox;

/// <summary>
/// Who the conversation is with: their channel id (phone number, PSID or IGSID) and the name the channel gave. On WhatsApp
/// the id is the customer's wa_id, or their business-scoped user id (BSUID) when they hide their number; <see cref="UserId"/>
/// is the BSUID whenever Meta sent one and <see cref="Username"/> their WhatsApp username (e.g. <c>@sheena</c>).
/// </summary>
public sealed record ConversationContact(string Id, string? Name, string? UserId = null, string? Username = null);
