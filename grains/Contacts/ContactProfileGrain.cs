using Flexoraa.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flexoraa.Contacts;

/// <summary>
/// Looks up one conversation's contact profile and hands Meta's answer to the conversation, which keeps it (state and
/// row) and decides from its check time when to ask again. This grain keeps only what a retry needs, in memory: how
/// many look-ups in a row failed for a reason that heals and when the next may run. A grain timer retries while the
/// grain is active; if it is collected first, the contact's next message asks again. Either way a message never waits.
/// </summary>
public sealed class ContactProfileGrain(
    ContactProfileLookup lookup,
    IOptions<ContactProfileSettings> options,
    TimeProvider clock,
    ILogger<ContactProfileGrain> logger) : Grain, IContactProfileGrain
{
    private string _tenantId = "";
    private ContactProfileRequest? _request;
    private int _failures;
    private DateTimeOffset? _nextAttemptAt;
    private IGrainTimer? _retry;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _) = ConversationKeys.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task Refresh(ContactProfileRequest request)
    {
        _request = request;
        // Backing off: the timer runs the next attempt; asking again must not hurry Meta's rate limit.
        if (_nextAttemptAt is { } due && due > clock.GetUtcNow()) return;
        await AttemptAsync();
    }

    private async Task AttemptAsync()
    {
        if (_request is not { } request) return;
        ContactProfileLookupResult result;
        try
        {
            result = await lookup.LookUpAsync(_tenantId, request, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The database behind the account's token, most likely: heals like an outage.
            result = ContactProfileLookupResult.Failed(e.Message);
        }

        if (result.Profile is { } profile)
        {
            _failures = 0;
            _nextAttemptAt = null;
            _retry?.Dispose();
            _retry = null;
            try
            {
                await GrainFactory.GetGrain<IConversationGrain>(this.GetPrimaryKeyString()).ApplyContactProfile(profile);
            }
            catch (Exception e)
            {
                // The conversation did not take it: it still finds its profile stale and asks again with its next message.
                logger.LogWarning(e, "Could not apply the profile of conversation {Key}", this.GetPrimaryKeyString());
            }
            DeactivateOnIdle();
            return;
        }

        _failures++;
        var delay = options.Value.RetryDelayAfter(_failures);
        if (result.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
        _nextAttemptAt = clock.GetUtcNow() + delay;
        logger.LogInformation("The profile look-up of conversation {Key} failed ({Failures} in a row), next in {Delay}: {Error}",
            this.GetPrimaryKeyString(), _failures, delay, result.Error);
        _retry?.Dispose();
        _retry = this.RegisterGrainTimer(_ => AttemptAsync(), new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan });
    }
}
