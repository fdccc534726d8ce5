namespace Flexoraa.Channels.Meta;

/// <summary>
/// What an inbound event may hold before it is stored. Ids must fit their columns whole, because a cut id could
/// collide with another message's and be dropped as its duplicate; text longer than Meta lets anyone send is cut,
/// because the message itself must still be stored once it has been acknowledged.
/// </summary>
public static class InboundLimits
{
    /// <summary>
    /// Message ids (wamid, mid, and the ids we derive for reactions and postbacks): <c>messages.external_id</c> is
    /// varchar(256). Real wamids are under 100 characters, so only a forged or damaged id is ever refused.
    /// </summary>
    public const int MaxMessageIdLength = 256;

    /// <summary>Customer ids (wa_id, PSID, IGSID) and business account ids: <c>contact_id</c> is varchar(128).</summary>
    public const int MaxContactIdLength = 128;

    /// <summary>Account ids route to a tenant and name dead letters (<c>external_account_id</c> is varchar(128)).</summary>
    public const int MaxAccountIdLength = 128;

    /// <summary>A WhatsApp text body: Meta caps <c>text.body</c> at 4096 characters.</summary>
    public const int MaxWhatsAppTextLength = 4096;

    /// <summary>Messenger text: the reference gives "UTF-8, &lt;2000 chars" for the Send API (B.3).</summary>
    public const int MaxMessengerTextLength = 2000;

    /// <summary>
    /// Instagram text: the reference gives 1000 UTF-8 bytes, marked UNCONFIRMED, so this is the generous reading:
    /// 1000 characters, never fewer than the real limit allows.
    /// </summary>
    public const int MaxInstagramTextLength = 1000;

    /// <summary><c>conversations.contact_name</c> and <c>leads.display_name</c> are varchar(200); WhatsApp profile names are far shorter.</summary>
    public const int MaxContactNameLength = 200;

    /// <summary>Short labels stored in varchar(64) columns (conversation and pricing categories).</summary>
    public const int MaxCategoryLength = 64;

    /// <summary><c>message_statuses.error_title</c> is varchar(300).</summary>
    public const int MaxErrorTitleLength = 300;

    public static int MaxTextLength(ChannelKind channel) => channel switch
    {
        ChannelKind.WhatsApp => MaxWhatsAppTextLength,
        ChannelKind.Instagram => MaxInstagramTextLength,
        _ => MaxMessengerTextLength,
    };

    /// <summary>Why the event cannot be stored, or null when it can.</summary>
    public static string? Problem(ChannelEvent item)
    {
        if (IdProblem("account id", item.AccountId, MaxAccountIdLength) is { } account) return account;
        if (IdProblem("contact id", item.ContactId, MaxContactIdLength) is { } contact) return contact;
        return item switch
        {
            ChannelMessage m => IdProblem("message id", m.ExternalMessageId, MaxMessageIdLength)
                ?? OptionalIdProblem("replied-to message id", m.Reply?.MessageId)
                ?? OptionalIdProblem("reacted-to message id", m.Reaction?.TargetMessageId)
                ?? (m.ContactUserId is { } userId ? IdProblem("contact user id", userId, MaxContactIdLength) : null)
                ?? (m.IdentityChange?.NewUserId is { } newUserId ? IdProblem("new contact user id", newUserId, MaxContactIdLength) : null),
            ChannelStatusUpdate s => IdProblem("message id", s.ExternalMessageId, MaxMessageIdLength)
                ?? (s.ContactUserId is { } userId ? IdProblem("contact user id", userId, MaxContactIdLength) : null),
            ChannelMessageEdit e => IdProblem("edit id", e.EventId, MaxMessageIdLength) ?? IdProblem("edited message id", e.TargetMessageId, MaxMessageIdLength),
            ChannelMessageDeletion d => IdProblem("deletion id", d.EventId, MaxMessageIdLength) ?? IdProblem("deleted message id", d.TargetMessageId, MaxMessageIdLength),
            ChannelReceipt r => r.MessageIds.IsDefaultOrEmpty ? null : r.MessageIds.Select(id => IdProblem("message id", id, MaxMessageIdLength)).FirstOrDefault(p => p is not null),
            _ => null,
        };
    }

    /// <summary>The event with its free text cut to what the channel allows and the columns hold.</summary>
    public static ChannelEvent Apply(ChannelEvent item) => item switch
    {
        ChannelMessage m => m with
        {
            Text = m.Text is null ? null : ChannelText.Truncate(m.Text, MaxTextLength(m.Channel)),
            ContactName = m.ContactName is null ? null : ChannelText.Truncate(m.ContactName, MaxContactNameLength),
            ContactUsername = m.ContactUsername is null ? null : ChannelText.Truncate(m.ContactUsername, MaxContactNameLength),
        },
        ChannelMessageEdit e => e with { Text = e.Text is null ? null : ChannelText.Truncate(e.Text, MaxTextLength(e.Channel)) },
        ChannelStatusUpdate s => s with
        {
            ConversationCategory = Cap(s.ConversationCategory, MaxCategoryLength),
            Pricing = s.Pricing is { } p ? p with { Category = Cap(p.Category, MaxCategoryLength), PricingModel = Cap(p.PricingModel, MaxCategoryLength) } : null,
            Errors = s.Errors.IsDefaultOrEmpty ? s.Errors : [.. s.Errors.Select(e => e with { Title = Cap(e.Title, MaxErrorTitleLength) })],
        },
        _ => item,
    };

    private static string? Cap(string? text, int maxLength) => text is null ? null : ChannelText.Truncate(text, maxLength);

    private static string? OptionalIdProblem(string what, string? id) => id is null ? null : IdProblem(what, id, MaxMessageIdLength);

    private static string? IdProblem(string what, string id, int maxLength) =>
        id.Length > maxLength ? $"the {what} is {id.Length} characters long; at most {maxLength} are stored"
        : id.Contains(ChannelText.Replacement) || id.Any(char.IsControl) ? $"the {what} holds characters no {what} has (U+0000, a lone surrogate or a control character)"
        : null;
}
