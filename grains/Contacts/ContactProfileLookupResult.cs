namespace Flexoraa.Contacts;

/// <summary>
/// One look-up: Meta's answer (<see cref="Profile"/>: found, no profile, no consent), or a failure that may heal
/// (<see cref="Retry"/>, with Meta's <c>Retry-After</c> when it sent one and what went wrong).
/// </summary>
public sealed record ContactProfileLookupResult(ContactProfile? Profile, TimeSpan? RetryAfter = null, string? Error = null)
{
    public bool Retry => Profile is null;

    public static ContactProfileLookupResult Answered(ContactProfile profile) => new(profile);

    public static ContactProfileLookupResult Failed(string error, TimeSpan? retryAfter = null) => new(null, retryAfter, error);
}
