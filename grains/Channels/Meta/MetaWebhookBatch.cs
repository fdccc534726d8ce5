using System.Collections.Immutable;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Everything one Meta webhook POST carried, in body order: the events to publish, account-level errors, and what
/// was skipped or rejected. One POST can hold several entries (accounts) and several changes each, so events can belong to
/// different conversations and even different tenants.
/// </summary>
public sealed record MetaWebhookBatch(
    ImmutableArray<ChannelEvent> Events,
    ImmutableArray<MetaAccountError> AccountErrors,
    ImmutableArray<SkippedWebhookItem> Skipped,
    ImmutableArray<RejectedWebhookItem> Rejected)
{
    /// <summary>Collects a batch while a parser walks the body.</summary>
    internal sealed class Builder
    {
        private readonly ImmutableArray<ChannelEvent>.Builder events = ImmutableArray.CreateBuilder<ChannelEvent>();
        private readonly ImmutableArray<MetaAccountError>.Builder accountErrors = ImmutableArray.CreateBuilder<MetaAccountError>();
        private readonly ImmutableArray<SkippedWebhookItem>.Builder skipped = ImmutableArray.CreateBuilder<SkippedWebhookItem>();

        private readonly ImmutableArray<RejectedWebhookItem>.Builder rejected = ImmutableArray.CreateBuilder<RejectedWebhookItem>();

        /// <summary>
        /// Adds an event through <see cref="InboundLimits"/>, the one gate every parser's events pass: an event that cannot be
        /// stored whole is rejected (and so dead-lettered) here, instead of failing its write again and again later.
        /// </summary>
        public void Add(ChannelEvent channelEvent, PayloadElement source)
        {
            if (InboundLimits.Problem(channelEvent) is { } problem)
            {
                rejected.Add(new RejectedWebhookItem(channelEvent.Channel, channelEvent.AccountId, source.Path, problem, source.RawJson));
                return;
            }
            events.Add(InboundLimits.Apply(channelEvent));
        }

        public void Add(MetaAccountError error) => accountErrors.Add(error);

        /// <summary>
        /// Runs <paramref name="parse"/> for one part of the body (an entry, a change, a message, a status, a messaging
        /// event). A part of the wrong shape is rejected with its path and the problem, and so dead-lettered, while its
        /// siblings still go through: Meta retries a whole delivery it sees refused, so failing the body for one bad item
        /// would lose the good ones with it, again at every retry. <paramref name="parse"/> adds what it parsed only
        /// once it has read everything it needs, so a rejected part leaves nothing behind in the batch.
        /// </summary>
        public void Guard(PayloadElement source, ChannelKind channel, string? accountId, Action parse)
        {
            try
            {
                parse();
            }
            catch (MetaWebhookFormatException e)
            {
                rejected.Add(new RejectedWebhookItem(channel, accountId ?? "", source.Path, Within(source.Path, e.Message), source.RawJson));
            }
        }

        public void Skip(PayloadElement element, string reason) => skipped.Add(new SkippedWebhookItem(element.Path, reason, element.RawJson));

        /// <summary>The problem said relative to the rejected part ("timestamp is missing"), whose path the dead letter already names.</summary>
        private static string Within(string path, string problem) =>
            path.Length > 0 && problem.Length > path.Length && problem.StartsWith(path, StringComparison.Ordinal) && problem[path.Length] is '.' or ' '
                ? problem[(path.Length + 1)..]
                : problem;

        public MetaWebhookBatch Build() => new(events.ToImmutable(), accountErrors.ToImmutable(), skipped.ToImmutable(), rejected.ToImmutable());
    }
}
