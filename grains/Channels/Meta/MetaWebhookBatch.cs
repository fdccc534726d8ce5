using System.Collections.Immutable;

namespace Flexoraa.Channels.Meta;

/// <summary>
/// Everything one Meta webhook POST carried, in body order: the events to publish, account-level errors, and what
/// was skipped. One POST can hold several entries (accounts) and several changes each, so events can belong to
/// different conversations and even different tenants.
/// </summary>
public sealed record MetaWebhookBatch(
    ImmutableArray<ChannelEvent> Events,
    ImmutableArray<MetaAccountError> AccountErrors,
    ImmutableArray<SkippedWebhookItem> Skipped)
{
    /// <summary>Collects a batch while a parser walks the body.</summary>
    internal sealed class Builder
    {
        private readonly ImmutableArray<ChannelEvent>.Builder events = ImmutableArray.CreateBuilder<ChannelEvent>();
        private readonly ImmutableArray<MetaAccountError>.Builder accountErrors = ImmutableArray.CreateBuilder<MetaAccountError>();
        private readonly ImmutableArray<SkippedWebhookItem>.Builder skipped = ImmutableArray.CreateBuilder<SkippedWebhookItem>();

        public void Add(ChannelEvent channelEvent) => events.Add(channelEvent);

        public void Add(MetaAccountError error) => accountErrors.Add(error);

        public void Skip(PayloadElement element, string reason) => skipped.Add(new SkippedWebhookItem(element.Path, reason, element.RawJson));

        public MetaWebhookBatch Build() => new(events.ToImmutable(), accountErrors.ToImmutable(), skipped.ToImmutable());
    }
}
