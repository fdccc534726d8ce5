using Orleans.Concurrency;

namespace Flexoraa.Contacts;

/// <summary>
/// Looks up a Messenger or Instagram contact's profile (name, username, picture) through the Graph API and hands the
/// outcome to the conversation (<see cref="Flexoraa.Conversations.IConversationGrain.ApplyContactProfile"/>). Key: the
/// conversation's grain key, <c>{tenantId}/{conversationId}</c>. Failures that heal (rate limits, outages) are retried
/// with backoff while the grain is active; nothing here ever holds up or fails a message.
/// </summary>
[Alias("Flexoraa.Contacts.IContactProfileGrain")]
public interface IContactProfileGrain : IGrainWithStringKey
{
    /// <summary>
    /// Asks for a look-up unless one is running or backing off. One-way: the conversation asking it from its inbound
    /// turn never waits for Meta.
    /// </summary>
    [OneWay]
    [Alias("Refresh")]
    Task Refresh(ContactProfileRequest request);
}
