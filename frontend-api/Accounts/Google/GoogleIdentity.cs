namespace Flexoraa.FrontendApi.Accounts.Google;

/// <summary>Who Google says signed in, after the id_token was validated and the email found verified.</summary>
public sealed record GoogleIdentity(string Subject, string Email, string DisplayName);
