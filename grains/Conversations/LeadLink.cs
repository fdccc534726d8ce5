namespace Flexoraa.Conversations;

/// <summary>
/// What <see cref="ContactLeadLinks"/> linked a conversation to: the lead, and whether its row took the customer's new
/// number (then an active <c>LeadGrain</c> must reload it). Mapped by Dapper from the link statement's row.
/// </summary>
public sealed record LeadLink(string LeadId, bool Moved);
