namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>
/// A sign-in that cannot finish because of what came back from the browser or the provider: answered as a 400 problem
/// naming <see cref="Field"/>. <see cref="ProviderUnavailable"/> marks the provider not answering at all, which a retry may fix.
/// </summary>
public sealed class GoogleSignInException(string field, string message, bool providerUnavailable = false) : Exception(message)
{
    public string Field { get; } = field;
    public bool ProviderUnavailable { get; } = providerUnavailable;
}
