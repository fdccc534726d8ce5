using System.Collections.Concurrent;
using System.Collections.Immutable;
using Flexoraa.Leads;

namespace Flexoraa.Tests.Leads;

/// <summary>
/// Sees every engagement call a grain makes to a lead (an outgoing filter of the co-hosted silo): which lead, and the
/// events it carried, so a test can state what a conversation told its lead and in how many calls.
/// </summary>
public sealed class ConversationEngagementRecorder : IOutgoingGrainCallFilter
{
    private readonly ConcurrentQueue<(string LeadKey, ImmutableArray<ConversationEngagement> Events)> _calls = new();
    private readonly ConcurrentDictionary<string, int> _writes = new();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceName.EndsWith("ILeadGrain", StringComparison.Ordinal))
        {
            if (context.MethodName == nameof(ILeadGrain.RecordConversationEngagements))
            {
                _calls.Enqueue((context.TargetId.Key.ToString()!, (ImmutableArray<ConversationEngagement>)context.Request.GetArgument(0)!));
            }
            else if (context.MethodName == nameof(ILeadGrain.WriteQueuedEngagements))
            {
                _writes.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, n) => n + 1);
            }
        }
        await context.Invoke();
    }

    /// <summary>The calls whose events came from <paramref name="conversationId"/>, in the order they were made.</summary>
    public IReadOnlyList<ImmutableArray<ConversationEngagement>> CallsFrom(string conversationId) =>
        [.. _calls.Where(c => c.Events.Any(e => e.ConversationId == conversationId)).Select(c => c.Events)];

    /// <summary>How many writing turns the lead scheduled on itself for its queued engagement runs.</summary>
    public int WritesOf(string leadKey) => _writes.GetValueOrDefault(leadKey);

    public IReadOnlyList<ConversationEngagement> EventsFrom(string conversationId) => [.. CallsFrom(conversationId).SelectMany(c => c).Where(e => e.ConversationId == conversationId)];
}
