namespace Flexoraa.Channels;

/// <summary>Who wrote a message. Numbers are serialized; never renumber them.</summary>
public enum MessageDirection
{
    /// <summary>The customer wrote it.</summary>
    Inbound = 0,

    /// <summary>
    /// The business sent it, from Flexoraa or from another tool (the Page inbox, the Instagram app), and the channel
    /// echoed it back. It belongs in the thread but is never customer input: no auto-reply, no engagement score.
    /// </summary>
    Echo = 1,

    /// <summary>Sent from Flexoraa by an agent or an API client (a reply); its delivery status follows Meta's reports.</summary>
    Outbound = 2,

    /// <summary>A private note an agent left in the conversation: shown to the team, never sent to the customer.</summary>
    Note = 3,
}
