namespace Flexoraa.FrontendApi.Team;

/// <summary>
/// The body of <c>POST /api/v1/invitations/accept</c>. Someone who already has an account gives its password (or calls
/// signed in as it); someone new gives the password and name for their new account.
/// </summary>
public sealed record AcceptInvitationRequest(string? Token, string? Password = null, string? DisplayName = null);
