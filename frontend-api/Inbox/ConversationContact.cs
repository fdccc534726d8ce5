namespace Flexoraa.FrontendApi.Inbox;

/// <summary>Who the conversation is with: their channel id (phone number, PSID or IGSID) and the name the channel gave.</summary>
public sealed record ConversationContact(string Id, string? Name);
