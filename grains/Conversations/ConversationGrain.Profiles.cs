using Flexoraa.Contacts;
using Flexoraa.Realtime;
using Microsoft.Extensions.Logging;

namespace Flexoraa.Conversations;

/// <summary>
/// The contact's Messenger / Instagram profile. An inbound message asks <see cref="IContactProfileGrain"/> for a look-up
/// only when the one kept here is missing or older than the refresh period, and at most once per retry delay while one
/// is under way, so a chatty contact costs one comparison per message once their profile is known.
/// </summary>
public sealed partial class ConversationGrain
{
    private DateTimeOffset? _profileAskedAt;

    private void AskForProfileIfStale()
    {
        if (state.State is not { Channel: { } channel, ChannelAccountId: { } account, ContactId: { } contact } || !ContactProfileStatuses.HasProfiles(channel)) return;
        var settings = profileSettings.Value;
        var now = clock.GetUtcNow();
        if (state.State.ProfileCheckedAt is { } checkedAt && now - checkedAt < settings.RefreshPeriod) return;
        if (_profileAskedAt is { } asked && now - asked < settings.RetryBaseDelay) return;
        _profileAskedAt = now;
        try
        {
            // One-way: the call is queued and this turn goes on; the answer comes back through ApplyContactProfile.
            _ = GrainFactory.GetGrain<IContactProfileGrain>(this.GetPrimaryKeyString()).Refresh(new ContactProfileRequest(channel, account, contact));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not ask for the profile of conversation {Key}", this.GetPrimaryKeyString());
        }
    }

    public async Task ApplyContactProfile(ContactProfile profile)
    {
        // An answer older than the one kept (two look-ups crossing) changes nothing.
        if (state.State.ProfileCheckedAt is { } known && known >= profile.CheckedAt) return;
        if (!await stores.Conversations.ApplyContactProfileAsync(_tenantId, _conversationId, profile)) return;

        var before = state.State.Contact();
        state.State.ProfileStatus = profile.Status;
        state.State.ProfileCheckedAt = profile.CheckedAt;
        // A refusal after an earlier success keeps what was found: the name is still the best the inbox has.
        if (profile.Status == ContactProfileStatus.Found)
        {
            state.State.ContactName = profile.Name ?? state.State.ContactName;
            state.State.ContactUsername = profile.Username;
            state.State.ContactAvatarUrl = profile.AvatarUrl;
        }
        _profileAskedAt = null;
        await state.WriteStateAsync();
        var after = state.State.Contact();
        if (after != before) await PublishAsync(new ConversationUpdated(_tenantId, _conversationId, clock.GetUtcNow(), after, null, null, null, null));
    }
}
