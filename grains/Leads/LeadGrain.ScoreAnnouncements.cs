using Flexoraa.Leads.Scoring;
using Flexoraa.Realtime;

namespace Flexoraa.Leads;

/// <summary>
/// Score changes reach open screens as <c>LeadChanged</c> "scored", at most once a second per lead. A burst of messages
/// moves the score on every run of them, and a screen needs the latest figure, not each step: announcing every one sent
/// the tenant's single updates grain and every hub client an update per run (profiled on the ingest bench). A change
/// within the second of the last announcement is announced when the second is up, with the score as it is by then.
/// </summary>
public sealed partial class LeadGrain
{
    public static readonly TimeSpan ScoreAnnouncementInterval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _scoreAnnouncedAt = DateTimeOffset.MinValue;
    private IGrainTimer? _pendingScoreAnnouncement;

    private async Task AnnounceScoreAsync(LeadScore? before, DateTimeOffset now)
    {
        if (_lead is not { } lead || lead.Score == before || _pendingScoreAnnouncement is not null) return;
        var wait = _scoreAnnouncedAt + ScoreAnnouncementInterval - now;
        if (wait <= TimeSpan.Zero)
        {
            await PublishScoreAsync(now);
            return;
        }
        _pendingScoreAnnouncement = this.RegisterGrainTimer(async _ =>
        {
            _pendingScoreAnnouncement?.Dispose();
            _pendingScoreAnnouncement = null;
            await PublishScoreAsync(clock.GetUtcNow());
        }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Queued engagements are written, and a score change still waiting for its second is announced, before the lead
    /// leaves memory: neither is dropped (a queued writing turn would reach the next activation, with an empty queue).
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteQueueAsync();
        if (_pendingScoreAnnouncement is null) return;
        _pendingScoreAnnouncement.Dispose();
        _pendingScoreAnnouncement = null;
        await PublishScoreAsync(clock.GetUtcNow());
    }

    private async Task PublishScoreAsync(DateTimeOffset now)
    {
        // Deleted in the meantime: its removal was announced instead.
        if (_lead is not { } lead) return;
        _scoreAnnouncedAt = now;
        await PublishAsync(new LeadChanged(_tenantId, now, _leadId, "scored", lead, ["score"]));
    }
}
