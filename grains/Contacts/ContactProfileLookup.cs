using System.Security.Cryptography;
using Flexoraa.Channels;
using Flexoraa.Channels.Meta;
using Flexoraa.ReadModels;
using Polly.Timeout;

namespace Flexoraa.Contacts;

/// <summary>
/// One profile look-up: finds the channel account and its page token (as a send does), asks the Graph API, and turns
/// what happens into a <see cref="ContactProfileLookupResult"/>. Meta's code decides: 2018218 is "no profile", 230 "no
/// consent"; rate limits, server errors, an unreachable Graph API and a refused token (the tenant may reconnect) may heal.
/// </summary>
public sealed class ContactProfileLookup(GraphApiClient graph, TenantDatabase database, ChannelSecretProtector protector, TimeProvider clock)
{
    /// <summary>Messenger: "No profile available for this user".</summary>
    public const int NoProfile = 2018218;

    /// <summary>Instagram: "User consent is required to access user profile".</summary>
    public const int ConsentRequired = 230;

    private const string MessengerFields = "first_name,last_name,name,profile_pic";
    private const string InstagramFields = "name,username,profile_pic";

    public async Task<ContactProfileLookupResult> LookUpAsync(string tenantId, ContactProfileRequest request, CancellationToken cancellationToken)
    {
        ChannelAccountRecord? account;
        await using (var session = await database.BeginAsync(tenantId, cancellationToken))
        {
            account = await ChannelAccountStore.FindAsync(session, request.ChannelAccountId, cancellationToken: cancellationToken);
        }
        if (account is null || account.Status != ChannelAccountRecord.Active) return ContactProfileLookupResult.Failed("The channel account is not connected.");
        string token;
        try
        {
            token = protector.Unprotect(account.AccessTokenProtected);
        }
        catch (CryptographicException)
        {
            return ContactProfileLookupResult.Failed("The channel account's access token cannot be decrypted.");
        }

        try
        {
            var fields = request.Channel == ChannelKind.Instagram ? InstagramFields : MessengerFields;
            var profile = await graph.GetUserProfileAsync(request.ContactId, fields, token, cancellationToken);
            return ContactProfileLookupResult.Answered(Found(request.Channel, profile));
        }
        catch (GraphApiException e)
        {
            return Classify(e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ContactProfileLookupResult.Failed($"Could not reach the Graph API: {e.Message}");
        }
    }

    private ContactProfileLookupResult Classify(GraphApiException e)
    {
        var now = clock.GetUtcNow();
        return e.Error?.Code switch
        {
            NoProfile => ContactProfileLookupResult.Answered(new ContactProfile(ContactProfileStatus.Unavailable, null, null, null, now)),
            ConsentRequired => ContactProfileLookupResult.Answered(new ContactProfile(ContactProfileStatus.ConsentRequired, null, null, null, now)),
            190 => ContactProfileLookupResult.Failed(e.Message, e.RetryAfter),
            _ when e.IsTransient => ContactProfileLookupResult.Failed(e.Message, e.RetryAfter),
            // A success status with a body that is not a profile: nothing to remember, try again later.
            _ when (int)e.Status < 400 => ContactProfileLookupResult.Failed(e.Message),
            // Anything else Meta refuses (unknown user, missing permission) will not heal by asking again soon.
            _ => ContactProfileLookupResult.Answered(new ContactProfile(ContactProfileStatus.Unavailable, null, null, null, now)),
        };
    }

    /// <summary>Messenger: first and last name, else the full name. Instagram: the name, else <c>@username</c>.</summary>
    private ContactProfile Found(ChannelKind channel, GraphUserProfile profile)
    {
        var username = Clean(profile.Username);
        var name = channel == ChannelKind.Instagram
            ? Clean(profile.Name) ?? (username is null ? null : "@" + username)
            : Clean(string.Join(' ', new[] { Clean(profile.FirstName), Clean(profile.LastName) }.OfType<string>())) ?? Clean(profile.Name);
        var picture = Uri.TryCreate(profile.ProfilePic, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? profile.ProfilePic
            : null;
        return new ContactProfile(ContactProfileStatus.Found, name, username, picture, clock.GetUtcNow());
    }

    /// <summary>Storable text, or null for nothing; a profile's fields are Meta's user input like any message.</summary>
    private static string? Clean(string? text)
    {
        if (text is null) return null;
        var normalized = ChannelText.Normalize(text).Trim();
        return normalized.Length == 0 ? null : ChannelText.Truncate(normalized, 200);
    }
}
