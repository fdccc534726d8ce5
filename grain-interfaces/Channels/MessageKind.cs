namespace Flexoraa.Channels;

/// <summary>
/// What a message is, across channels. The numbers are serialized; add new kinds at the end, never renumber.
/// <see cref="Unsupported"/> is zero so that anything we could not classify falls back to "show the raw message".
/// </summary>
public enum MessageKind
{
    /// <summary>A type the channel itself could not deliver, or one we do not know yet. The raw JSON is kept.</summary>
    Unsupported = 0,
    Text = 1,
    Image = 2,
    Video = 3,
    Audio = 4,

    /// <summary>A WhatsApp document or a Messenger/Instagram file attachment.</summary>
    Document = 5,
    Sticker = 6,
    Location = 7,

    /// <summary>Shared contact cards (WhatsApp); the cards are kept as JSON.</summary>
    Contacts = 8,

    /// <summary>The customer tapped a reply button of an interactive message (WhatsApp interactive.button_reply).</summary>
    ButtonReply = 9,

    /// <summary>The customer picked a row of an interactive list (WhatsApp interactive.list_reply).</summary>
    ListReply = 10,

    /// <summary>The customer tapped a quick-reply button of a template (WhatsApp type "button").</summary>
    Button = 11,

    /// <summary>A reaction to another message; an empty emoji means the reaction was removed.</summary>
    Reaction = 12,

    /// <summary>A WhatsApp cart order; the order is kept as JSON.</summary>
    Order = 13,

    /// <summary>A WhatsApp system message, such as a customer changing their number.</summary>
    System = 14,

    /// <summary>The customer tapped a postback button or persistent-menu item (Messenger/Instagram).</summary>
    Postback = 15,

    /// <summary>The customer replied to the business's Instagram story.</summary>
    StoryReply = 16,

    /// <summary>The customer mentioned the business in their Instagram story.</summary>
    StoryMention = 17,

    /// <summary>A link the channel could only render as a title and URL (Messenger "fallback").</summary>
    Fallback = 18,

    /// <summary>A shared post or link (Messenger/Instagram "share").</summary>
    Share = 19,

    /// <summary>A shared reel (Messenger/Instagram "reel" or "ig_reel").</summary>
    Reel = 20,

    /// <summary>A structured template, seen in echoes of what the business sent (Messenger "template").</summary>
    Template = 21,

    /// <summary>The customer completed a WhatsApp Flow (interactive.nfm_reply); the answers are in the content.</summary>
    FlowReply = 22,
}
