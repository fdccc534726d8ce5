namespace Flexoraa.FrontendApi.Team;

/// <summary>What asking for a new invitation led to.</summary>
public abstract record InvitationCreation
{
    /// <summary>The token is handed back once, to be emailed; only its hash was stored.</summary>
    public sealed record Created(InvitationRecord Invitation, string Token) : InvitationCreation;

    /// <summary>Members plus pending invitations already fill the plan's <paramref name="Seats"/>.</summary>
    public sealed record SeatLimitReached(int Seats, int Taken) : InvitationCreation;
}
