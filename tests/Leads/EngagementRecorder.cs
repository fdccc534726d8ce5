using System.Collections.Concurrent;
using System.Collections.Immutable;
using Flexoraa.Leads;

namespace Flexoraa.Tests.Leads;

/// <summary>
/// Sees every engagement call a grain makes to a lead (an outgoing filter of the co-hosted silo): which lead, and the
/// events it carried, so a test can state what a conversation told its lead and in how many calls.
/// </summary>
public sealed class EngagementRecorder : IOutgoingGrainCallFilter
{
    private readonly ConcurrentQueue<(string LeadKey, ImmutableArray<LeadEngagement> Events)> _calls = new();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceName.EndsWith("ILeadGrain", StringComparison.Ordinal))
        {
            var events = context.MethodName switch
            {
                nameof(ILeadGrain.RecordEngagements) => (ImmutableArray<LeadEngagement>)context.Request.GetArgument(0)!,
                nameof(ILeadGrain.RecordEngagement) => [(LeadEngagement)context.Request.GetArgument(0)!],
                _ => default,
            };
            if (!events.IsDefault) _calls.Enqueue((context.TargetId.Key.ToString()!, events));
        }
        await context.Invoke();
    }

    /// <summary>The calls whose events came from <paramref name="conversationId"/>, in the order they were made.</summary>
    public IReadOnlyList<ImmutableArray<LeadEngagement>> CallsFrom(string conversationId) =>
        [.. _calls.Where(c => c.Events.Any(e => e.ConversationId == conversationId)).Select(c => c.Events)];

    public IReadOnlyList<LeadEngagement> EventsFrom(string conversationId) => [.. CallsFrom(conversationId).SelectMany(c => c).Where(e => e.ConversationId == conversationId)];
}
