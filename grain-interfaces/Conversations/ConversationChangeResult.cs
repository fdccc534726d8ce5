namespace Flexoraa.Conversations;

/// <summary>
/// The answer to a workflow change: <see cref="Workflow"/> when changed; for <see cref="ConversationChangeOutcome.Invalid"/>
/// the request field at fault and why; for <see cref="ConversationChangeOutcome.Forbidden"/> why.
/// </summary>
[GenerateSerializer, Immutable, Alias("Flexoraa.Conversations.ConversationChangeResult")]
public sealed record ConversationChangeResult(
    [property: Id(0)] ConversationChangeOutcome Outcome,
    [property: Id(1)] ConversationWorkflow? Workflow,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Error = null)
{
    public static ConversationChangeResult NotFound { get; } = new(ConversationChangeOutcome.NotFound, null);

    public static ConversationChangeResult Forbidden(string error) => new(ConversationChangeOutcome.Forbidden, null, null, error);

    public static ConversationChangeResult Invalid(string field, string error) => new(ConversationChangeOutcome.Invalid, null, field, error);
}
