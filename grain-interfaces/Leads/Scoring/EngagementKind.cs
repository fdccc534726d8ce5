namespace Flexoraa.Leads.Scoring;

/// <summary>Something a lead did, or that was done with them, that an engagement rule can give points for.</summary>
public enum EngagementKind
{
    InboundMessage,
    /// <summary>The team answered the lead's message quickly; what counts as fast is the sender's to decide.</summary>
    FastReply,
    ConversationResolved,
    MeetingLogged,
    CallLogged,
    NoteLogged,
    CampaignReply,
    CampaignClick,
    /// <summary>The AI reply agent judged the lead qualified.</summary>
    AiQualified,
}
