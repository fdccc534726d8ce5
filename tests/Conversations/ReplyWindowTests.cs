using Flexoraa.Channels;
using Flexoraa.Conversations;

namespace Flexoraa.Tests.Conversations;

/// <summary>Meta's messaging windows, case by case: who may reply on which channel how long after the customer last wrote.</summary>
public sealed class ReplyWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // channel, template, human, hours since the customer's last message (null: never wrote), open, tag, closed at (hours from their message)
    [InlineData(ChannelKind.WhatsApp, false, true, 1.0, true, null, null)]
    [InlineData(ChannelKind.WhatsApp, false, false, 23.9, true, null, null)]
    [InlineData(ChannelKind.WhatsApp, false, true, 24.0, false, null, 24.0)]
    [InlineData(ChannelKind.WhatsApp, false, true, null, false, null, null)]
    [InlineData(ChannelKind.WhatsApp, true, false, null, true, null, null)]
    [InlineData(ChannelKind.WhatsApp, true, true, 500.0, true, null, null)]
    [InlineData(ChannelKind.Messenger, false, false, 2.0, true, null, null)]
    [InlineData(ChannelKind.Messenger, false, true, 25.0, true, ReplyWindow.HumanAgentTag, null)]
    [InlineData(ChannelKind.Messenger, false, false, 25.0, false, null, 24.0)]
    [InlineData(ChannelKind.Instagram, false, true, 167.9, true, ReplyWindow.HumanAgentTag, null)]
    [InlineData(ChannelKind.Instagram, false, true, 168.0, false, null, 168.0)]
    [InlineData(ChannelKind.Instagram, false, true, null, false, null, null)]
    public void The_windows_decide_who_may_reply_and_with_which_tag(
        ChannelKind channel, bool template, bool human, double? hoursSinceCustomer, bool open, string? tag, double? closedAtHours)
    {
        DateTimeOffset? last = hoursSinceCustomer is { } h ? Now - TimeSpan.FromHours(h) : null;

        var decision = ReplyWindow.Check(channel, template, human, last, Now);

        Assert.Equal(open, decision.Open);
        Assert.Equal(tag, decision.Tag);
        Assert.Equal(closedAtHours is { } c ? last + TimeSpan.FromHours(c) : null, decision.ClosedAt);
        Assert.Equal(open, decision.Error is null);
    }
}
