namespace Flexoraa.Tenants;

/// <summary>How far the AI agent may go on its own.</summary>
public enum AiReplyMode
{
    /// <summary>No AI replies.</summary>
    Off = 0,

    /// <summary>The AI drafts a reply that a human sends.</summary>
    Suggest = 1,

    /// <summary>The AI replies by itself and hands over to a human when it cannot answer.</summary>
    Auto = 2,
}
